"""The gitignore matcher shared by Glob/Grep and @path completion, on real folders."""

from __future__ import annotations

from pathlib import Path

from tui.core.ignore import GitIgnore


def _tree(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_nested_gitignores_negation_and_git_folder(tmp_path: Path) -> None:
    (tmp_path / ".git" / "info").mkdir(parents=True)
    (tmp_path / ".git" / "info" / "exclude").write_text("secret.txt\n")
    _tree(
        tmp_path,
        {
            ".gitignore": "*.log\nbuild/\n!keep.log\n",
            "src/.gitignore": "generated.py\n!debug.log\n",
            "src/app.py": "",
            "src/generated.py": "",
            "src/debug.log": "",
            "src/other.log": "",
            "keep.log": "",
            "build/out.js": "",
            "secret.txt": "",
        },
    )
    ignore = GitIgnore(tmp_path / "src")
    assert ignore.top == tmp_path
    assert not ignore.ignored(tmp_path / "src" / "app.py")
    assert ignore.ignored(tmp_path / "src" / "generated.py")
    assert ignore.ignored(tmp_path / "src" / "other.log")
    assert not ignore.ignored(tmp_path / "src" / "debug.log")  # the deeper file re-includes it
    assert not ignore.ignored(tmp_path / "keep.log")
    assert ignore.ignored(tmp_path / "build", is_dir=True)
    assert ignore.ignored(tmp_path / "build" / "out.js")
    assert ignore.ignored(tmp_path / "secret.txt")
    assert ignore.ignored(tmp_path / ".git" / "config")
    assert not ignore.ignored(Path("/elsewhere/x.log"))


def test_a_file_inside_an_ignored_folder_cannot_be_brought_back(tmp_path: Path) -> None:
    _tree(tmp_path, {".gitignore": "vendor/\n!vendor/mine.py\n", "vendor/mine.py": ""})
    (tmp_path / ".git").mkdir()
    assert GitIgnore(tmp_path).ignored(tmp_path / "vendor" / "mine.py")


def test_no_repository_uses_the_folder_itself(tmp_path: Path) -> None:
    _tree(tmp_path, {".gitignore": "dist\n", "dist/a.txt": "", "a.txt": ""})
    ignore = GitIgnore(tmp_path)
    assert ignore.ignored(tmp_path / "dist" / "a.txt")
    assert not ignore.ignored(tmp_path / "a.txt")
