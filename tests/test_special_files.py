"""Named pipes, sockets and devices among the inputs are reported, never opened (a named
pipe would wait for a writer for ever)."""

from __future__ import annotations

import os
import socket
import threading

import pytest

from upr_summary.config import Config
from upr_summary.load import load, read_file

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")

CSV = "submission,organization,issue_area,finding\nHTU,Tenants Union,Housing,Rents rose.\n"


def _within(seconds: float, func, *args):
    """func(*args), failing (not hanging) when it blocks."""
    out: list = []
    thread = threading.Thread(target=lambda: out.append(func(*args)), daemon=True)
    thread.start()
    thread.join(seconds)
    assert out, "blocked: a named pipe was opened"
    return out[0]


def _problems(data):
    return [(p.code, p.severity, os.path.basename(p.location.file)) for p in data.problems]


def test_a_named_pipe_on_the_command_line_is_not_a_regular_file(tmp_path):
    os.mkfifo(tmp_path / "f.csv")
    data = _within(20, load, [str(tmp_path / "f.csv")], Config())
    assert _problems(data) == [("unreadable-file", "error", "f.csv")]
    assert "named pipe" in data.problems[0].message
    assert "No such file" not in data.problems[0].message


def test_a_named_pipe_in_a_folder_is_skipped_with_a_warning(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.csv").write_text(CSV, encoding="utf-8")
    os.mkfifo(tmp_path / "in" / "pipe.csv")
    os.mkfifo(tmp_path / "in" / "pipe.yaml")
    data = _within(20, load, [str(tmp_path / "in")], Config())
    assert _problems(data) == [("skipped-file", "warning", "in")]
    assert "pipe.csv (a named pipe)" in data.problems[0].message
    assert "pipe.yaml (a named pipe)" in data.problems[0].message
    assert len(data.findings) == 1


def test_a_link_to_a_named_pipe_in_a_folder_is_skipped(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.csv").write_text(CSV, encoding="utf-8")
    os.mkfifo(tmp_path / "in" / ".hidden-pipe")
    os.symlink(tmp_path / "in" / ".hidden-pipe", tmp_path / "in" / "link.csv")
    data = _within(20, load, [str(tmp_path / "in")], Config())
    assert _problems(data) == [("skipped-file", "warning", "in")]


def test_a_socket_in_a_folder_and_on_the_command_line(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.csv").write_text(CSV, encoding="utf-8")
    path = str(tmp_path / "in" / "s.csv")
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(path)
    except OSError:  # a path too long for a socket here
        pytest.skip("cannot make a socket under tmp_path")
    try:
        data = _within(20, load, [str(tmp_path / "in")], Config())
        assert _problems(data) == [("skipped-file", "warning", "in")]
        assert "s.csv (a socket)" in data.problems[0].message
        data = _within(20, load, [path], Config())
        assert _problems(data) == [("unreadable-file", "error", "s.csv")]
    finally:
        server.close()


def test_a_device_on_the_command_line(tmp_path):
    if not os.path.exists("/dev/null"):
        pytest.skip("no /dev/null")
    data = _within(20, load, ["/dev/null"], Config())
    assert [p.code for p in data.problems] == ["unreadable-file"]
    assert "device" in data.problems[0].message


def test_a_file_replaced_by_a_pipe_after_it_was_listed_is_not_waited_on(tmp_path):
    os.mkfifo(tmp_path / "late.csv")
    problems: list = []
    records = _within(20, read_file, str(tmp_path / "late.csv"), "csv", Config(), problems)
    assert records == [] and [p.code for p in problems] == ["unreadable-file"]
