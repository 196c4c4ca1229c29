"""Grep's `type`: ripgrep's file types (`rg --type-list`), the common ones, as file-name globs."""

from __future__ import annotations

from .base import ToolError

_MD = ["*.markdown", "*.md", "*.mdown", "*.mdwn", "*.mkd", "*.mkdn", "*.mdx"]
_C_HEADERS = ["*.h", "*.H"]
TYPES: dict[str, list[str]] = {
    "py": ["*.py", "*.pyi"],
    "js": ["*.js", "*.jsx", "*.mjs", "*.cjs", "*.vue"],
    "ts": ["*.ts", "*.tsx", "*.cts", "*.mts"],
    "rust": ["*.rs"],
    "go": ["*.go"],
    "java": ["*.java", "*.jsp", "*.jspx", "*.properties"],
    "kotlin": ["*.kt", "*.kts"],
    "scala": ["*.scala", "*.sbt"],
    "c": ["*.c", *_C_HEADERS, "*.cats"],
    "cpp": ["*.C", "*.cc", "*.cpp", "*.cxx", "*.c++", *_C_HEADERS, "*.hh", "*.hpp", "*.hxx"],
    "cs": ["*.cs"],
    "swift": ["*.swift"],
    "ruby": ["*.rb", "*.gemspec", "Gemfile", "Rakefile", "*.rake"],
    "php": ["*.php", "*.php3", "*.php4", "*.php5", "*.phtml"],
    "lua": ["*.lua"],
    "sh": ["*.sh", "*.bash", "*.zsh", ".bashrc", ".bash_profile", ".zshrc", ".profile"],
    "md": _MD,
    "markdown": _MD,
    "txt": ["*.txt"],
    "rst": ["*.rst"],
    "json": ["*.json", "*.jsonl", "*.geojson", "composer.lock"],
    "yaml": ["*.yaml", "*.yml"],
    "toml": ["*.toml", "Cargo.lock"],
    "xml": ["*.xml", "*.xsd", "*.xsl", "*.xslt", "*.svg"],
    "html": ["*.htm", "*.html", "*.ejs"],
    "css": ["*.css", "*.scss", "*.sass", "*.less"],
    "sql": ["*.sql"],
    "make": ["Makefile", "makefile", "GNUmakefile", "*.mk", "*.mak"],
    "docker": ["Dockerfile", "Dockerfile.*", "*.dockerfile"],
    "ipynb": ["*.ipynb"],
}


def type_globs(name: str) -> list[str]:
    """The file-name globs of ripgrep type `name`; ToolError listing the known types."""
    globs = TYPES.get(name.strip().lower())
    if globs is None:
        known = ", ".join(sorted(TYPES))
        raise ToolError(f"Unknown file type {name!r} for `type`. Known types: {known}.")
    return globs
