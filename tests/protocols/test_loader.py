"""Malformed protocol files: each kind of problem names the file and the step."""

from __future__ import annotations

from pathlib import Path

import pytest

from coachdesk.protocols import ProtocolError, load_all, load_file, protocols_dir

HEAD = 'id = "test"\nversion = 1\ntitle = "Test protocol"\n'
GOOD = HEAD + '''
[[steps]]
id = "ask"
kind = "yesno"
label = "Question"
yes = "done"
no = "wait"

[[steps]]
id = "wait"
kind = "timer"
label = "Wait"
seconds = 1
next = "done"

[[steps]]
id = "done"
kind = "end"
label = "End"
outcome = "finished"
'''


def write(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def step(step_id: str, kind: str, **fields: object) -> str:
    lines = ["", "[[steps]]", f'id = "{step_id}"', f'kind = "{kind}"', f'label = "{step_id}"']
    for key, value in fields.items():
        rendered = f'"{value}"' if isinstance(value, str) else str(value).lower()
        if isinstance(value, list):
            rendered = "[" + ", ".join(f'"{v}"' for v in value) + "]"
        lines.append(f"{key} = {rendered}")
    return "\n".join(lines) + "\n"


END = step("fin", "end", outcome="over")

BAD: dict[str, tuple[str, str, str]] = {
    # name: (file text, step named, words in the problem)
    "unknown kind": (HEAD + step("a", "dance", next="fin") + END, "a", "unknown step kind 'dance'"),
    "missing branch": (HEAD + step("a", "yesno", yes="fin", no="nowhere") + END, "a",
                       "no goes to 'nowhere', which is not a step"),
    "missing option target": (
        HEAD + '\n[[steps]]\nid = "a"\nkind = "choice"\nlabel = "pick"\noptions = [\n'
        '  { label = "one", next = "fin" },\n  { label = "two", next = "gone" },\n]\n' + END,
        "a", "option 2 goes to 'gone'"),
    "unreachable": (HEAD + step("a", "instruction", next="fin") + step("lost", "instruction",
                                                                      next="fin") + END,
                    "lost", "unreachable"),
    "loop without exit": (HEAD + step("a", "yesno", yes="fin", no="b")
                          + step("b", "instruction", next="c") + step("c", "instruction", next="b")
                          + END, "b", "no end"),
    "dead end": (HEAD + step("a", "instruction", next="b") + step("b", "instruction") + END
                 .replace('id = "fin"', 'id = "fin"'), "", ""),
    "last step not an end": (HEAD + step("a", "yesno", yes="b", no="b") + step("b", "instruction"),
                             "b", "dead end"),
    "duplicate id": (HEAD + step("a", "instruction") + step("a", "instruction") + END, "a",
                     "two steps have this id"),
    "bad timer": (HEAD + step("a", "timer", seconds=0) + END, "a", "seconds"),
    "bad number": (HEAD + step("a", "call", numbers=["555"]) + END, "a", "numbers"),
    "missing label": (HEAD + '\n[[steps]]\nid = "a"\nkind = "instruction"\n' + END, "a", "label"),
    "no kind": (HEAD + '\n[[steps]]\nid = "a"\nlabel = "x"\n' + END, "a", "kind is missing"),
    "extra field": (HEAD + step("a", "instruction", colour="red") + END, "a", "colour"),
}
del BAD["dead end"]  # same as "last step not an end"; kept one clear case


@pytest.mark.parametrize("case", sorted(BAD))
def test_each_problem_names_the_file_and_the_step(tmp_path: Path, case: str) -> None:
    text, step_id, words = BAD[case]
    path = write(tmp_path, "broken.toml", text)
    with pytest.raises(ProtocolError) as caught:
        load_file(path)
    message = str(caught.value)
    assert message.startswith(f"broken.toml: step '{step_id}': "), message
    assert words in message, message
    assert "\n" not in message


@pytest.mark.parametrize(("text", "words"), [
    ("id = [broken", "not valid TOML"),
    (HEAD, "no [[steps]]"),
    ('id = "x"\n' + step("a", "end", outcome="o"), "version"),
    (HEAD + 'start = "nope"\n' + END, "start goes to 'nope'"),
])
def test_file_level_problems_name_the_file(tmp_path: Path, text: str, words: str) -> None:
    path = write(tmp_path, "whole.toml", text)
    with pytest.raises(ProtocolError) as caught:
        load_file(path)
    assert str(caught.value).startswith("whole.toml: ") and words in str(caught.value)


def test_not_utf8_is_an_error_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "latin.toml"
    path.write_bytes(b'title = "caf\xe9"\n')
    with pytest.raises(ProtocolError, match="latin.toml: not UTF-8"):
        load_file(path)


def test_a_bad_file_does_not_stop_the_others(tmp_path: Path) -> None:
    write(tmp_path, "a-good.toml", GOOD)
    write(tmp_path, "b-bad.toml", BAD["unknown kind"][0].replace('"test"', '"other"'))
    write(tmp_path, "c-same-id.toml", GOOD)
    library = load_all(tmp_path)
    assert [p.id for p in library] == ["test"]
    assert len(library.errors) == 2
    assert library.errors[0].startswith("b-bad.toml: step 'a': unknown step kind")
    assert library.errors[1].startswith("c-same-id.toml: id 'test' is already used by a-good.toml")


def test_an_empty_or_missing_directory_is_reported(tmp_path: Path) -> None:
    assert load_all(tmp_path).protocols == []
    assert "no protocol files" in load_all(tmp_path).errors[0]
    assert load_all(tmp_path / "missing").errors


def test_steps_without_next_go_to_the_step_below(tmp_path: Path) -> None:
    protocol = load_file(write(tmp_path, "p.toml", HEAD + step("a", "instruction")
                               + step("b", "text") + END))
    assert protocol.step("a").next == "b"  # type: ignore[union-attr]
    assert protocol.step("b").next == "fin"  # type: ignore[union-attr]
    assert protocol.start == "a"


def test_the_directory_can_be_overridden(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "only.toml", GOOD)
    monkeypatch.setenv("COACHDESK_PROTOCOLS_DIR", str(tmp_path))
    assert protocols_dir() == tmp_path
    assert [p.id for p in load_all()] == ["test"]
