"""`stepahead demo` refuses what it cannot do before touching any database."""

import socket

import pytest

from stepahead.cli import main
from stepahead.cli.demo import demo_database_url


def test_a_taken_port_is_a_user_error(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["demo", "--port", str(port)]) == 2
    assert f"cannot serve on 127.0.0.1:{port}" in capsys.readouterr().err


def test_a_port_out_of_range_is_a_user_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--port", "70000"]) == 2
    assert "--port must be between" in capsys.readouterr().err


def test_the_demo_database_defaults_to_a_sqlite_file_under_var(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("STEPAHEAD_VAR_DIR", str(tmp_path))
    assert demo_database_url() == f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", "postgres://db/demo")
    assert demo_database_url() == "postgres://db/demo"
