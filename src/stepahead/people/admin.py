from django.contrib import admin

from .models import DevelopmentGoal, Person, Skill, SkillAlias, SkillLevel


class SkillLevelInline(admin.TabularInline[SkillLevel, Person]):
    model = SkillLevel
    extra = 0
    autocomplete_fields = ["skill"]


class DevelopmentGoalInline(admin.TabularInline[DevelopmentGoal, Person]):
    model = DevelopmentGoal
    extra = 0
    autocomplete_fields = ["skill"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin[Person]):
    list_display = ["hris_id", "name", "email", "function", "grade", "organisation", "is_active"]
    list_filter = ["organisation", "is_active", "function"]
    search_fields = ["hris_id", "name", "email"]
    raw_id_fields = ["user"]
    inlines = [SkillLevelInline, DevelopmentGoalInline]


class SkillAliasInline(admin.TabularInline[SkillAlias, Skill]):
    model = SkillAlias
    extra = 0


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin[Skill]):
    list_display = ["name", "key", "organisation"]
    list_filter = ["organisation"]
    search_fields = ["name", "key"]
    inlines = [SkillAliasInline]
