"""Generator of the hostile-input corpus (issue 9): written by the tests into a temporary folder, never stored.

`build(root)` writes `root/input/` (the folder handed to `newsetl run`) and `root/outside/` (files the run must
never read: secret markers behind a symlink and behind an XML external entity). Everything that must end up
in the warehouse verbatim or not at all is returned in a `HostileCorpus`.
"""

from __future__ import annotations

import codecs
import json
import os
import random
import shutil
import zlib
from dataclasses import dataclass, field
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
BBC = SHARED / "corpus" / "bbc"

SECRET_SYMLINK = "SECRET-MARKER-SYMLINK-7f3a9c"
SECRET_XXE = "SECRET-MARKER-XXE-b41e02"
LAUGH = "LOLLOLLOL-ENTITY-EXPANDED"
SQL_TITLE = "'); DROP TABLE articles;--"
SQL_TITLE_2 = 'Robert"); DELETE FROM files WHERE 1=1; -- \'x\' OR 1=1'
SQL_AUTHOR = "O'Brien'); DROP TABLE entities;--"
GOOD_BODY = (
    "The city council in Leeds approved a new budget of 12 million pounds on Tuesday after a long debate.\n\n"
    "Councillor Jane Smith said the plan would fund 40 new teachers and repair three bridges across the region."
)


@dataclass
class HostileCorpus:
    input_dir: Path
    outside_dir: Path
    paths: list[Path] = field(default_factory=list)  # every entry written under input_dir (files and links)
    duplicate_story: list[Path] = field(default_factory=list)  # two exact copies and a one-word near-copy
    hostile_titles: list[str] = field(default_factory=list)  # must be stored verbatim
    secrets: list[str] = field(default_factory=list)  # must appear in no table
    expanded: list[str] = field(default_factory=list)  # entity expansions that must appear in no table


def story_body(i: int) -> str:
    """The body (title line dropped) of a distinct BBC article: loadable hostile files must not be near-copies."""
    text = good_articles(1, skip=200 + 7 * i)[0].read_text(encoding="utf-8", errors="replace")
    return text.split("\n", 1)[1].strip()


def good_articles(n: int, skip: int = 0) -> list[Path]:
    """The first n BBC articles (sorted, across categories) after skipping `skip`."""
    files = sorted(BBC.glob("*/*.txt"))
    return files[skip:skip + n]


def write_gzip_bomb(path: Path, expanded_bytes: int, chunk: bytes = b"A" * (1 << 20)) -> None:
    """A single gzip stream expanding to `expanded_bytes`, written streaming (never held in memory)."""
    comp = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    with open(path, "wb") as fh:
        left = expanded_bytes
        while left > 0:
            piece = chunk if left >= len(chunk) else chunk[:left]
            fh.write(comp.compress(piece))
            left -= len(piece)
        fh.write(comp.flush())


def build(root: Path, n_good: int = 40, big_mb: int = 50, bomb_mb: int = 1024) -> HostileCorpus:
    inp = root / "input"
    out = root / "outside"
    inp.mkdir(parents=True)
    out.mkdir(parents=True)
    c = HostileCorpus(inp, out)
    c.secrets = [SECRET_SYMLINK, SECRET_XXE]
    c.expanded = [LAUGH, LAUGH * 2]

    def put(name: str, data: bytes | str) -> Path:
        p = inp / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        c.paths.append(p)
        return p

    # Ordinary articles keep the quarantine share of the run below the validation gate's threshold.
    for i, src in enumerate(good_articles(n_good, skip=10)):
        put(f"good/{i:03d}.txt", src.read_bytes())

    # Duplicated story: two byte copies and one with a single word changed.
    story = good_articles(1)[0].read_text(encoding="utf-8")
    c.duplicate_story = [put("dup/story_a.txt", story), put("dup/story b copy.txt", story)]
    words = story.split(" ")
    k = len(words) // 2
    words[k] = "zeppelin" if words[k] != "zeppelin" else "airship"
    c.duplicate_story.append(put("dup/story_near.txt", " ".join(words)))

    # Empty, whitespace, binary, NUL bytes.
    put("empty.txt", b"")
    put("whitespace.txt", b"  \n\t\r\n   \n")
    put("empty.html", b"")
    rnd = random.Random(9)
    put("binary.txt", bytes(rnd.randrange(256) for _ in range(64 * 1024)))
    put("binary.html", b"\x89PNG\r\n\x1a\n" + bytes(rnd.randrange(256) for _ in range(32 * 1024)))
    put("binary.jsonl", b"\x00\x01\x02\xff\xfe" * 2000)
    put("nul_bytes.txt", "Title with NUL\x00 inside\n\nBody text\x00 with NUL bytes in the middle of it. " * 3)
    put("nul_bytes.html", b"<html><head><title>NUL\x00page</title></head><body><p>Some\x00text " * 20 + b"</p></body>")

    # Broken and mis-labelled encodings.
    put("truncated.html", "<html><head><title>Truncated page</title></head><body><article><p>" + story_body(1)
        + "</p><p>And then the connection dro")
    put("truncated_tag.html", "<html><head><title>Cut</title></head><body><p>Words words words <a hre")
    put("cp1252_as_utf8.html", ('<html><head><meta charset="utf-8"><title>Caf\xe9 \u2013 \u201cquotes\u201d</title>'
                                "</head><body><article><p>" + story_body(2).replace("new", "na\xefve \u2018new\u2019")
                                + "</p></article></body></html>").encode("cp1252"))
    put("utf16_bom.txt", codecs.BOM_UTF16_LE + ("UTF-16 encoded title\n\n" + story_body(3)).encode("utf-16-le"))
    put("utf16_bom.html", codecs.BOM_UTF16_BE + ("<html><head><title>UTF-16 page</title></head><body><p>"
                                                 + story_body(4)
                                                 + "</p></body></html>").encode("utf-16-be"))
    moji = "Caf\xe9 owner\u2019s \u201cbig\u201d na\xefve d\xe9j\xe0 vu\n\n" + story_body(5) + " \u2014 r\xe9sum\xe9."
    # UTF-8 bytes read as windows-1252 (latin-1 for its five undefined bytes), then saved as UTF-8 again.
    put("mojibake.txt", "".join(b.to_bytes(1, "big").decode("cp1252", errors="ignore") or chr(b)
                                for b in moji.encode("utf-8")).encode("utf-8"))

    # Size: a 50 MB text file, one 10 MB line, HTML nested 100,000 deep, a 1 GB gzip bomb, a fake .gz.
    para = ("This paragraph of a very long document repeats itself to make the file large and test limits. " * 8
            + "\n\n").encode()
    with open(inp / "big_50mb.txt", "wb") as fh:
        fh.write(b"A fifty megabyte text file\n\n")
        for _ in range(big_mb * 1024 * 1024 // len(para) + 1):
            fh.write(para)
    c.paths.append(inp / "big_50mb.txt")
    put("one_line_10mb.txt", b"word " * (2 * 1024 * 1024))
    depth = 100_000
    put("deep_nesting.html", b"<html><body>" + b"<div>" * depth + b"deep text " * 10 + b"</div>" * depth
        + b"</body></html>")
    put("deep_nesting_unclosed.html", b"<html><body>" + b"<b><i>" * (depth // 2) + b"unclosed")
    bomb = inp / "bomb.html.gz"
    write_gzip_bomb(bomb, bomb_mb * 1024 * 1024)
    c.paths.append(bomb)
    put("not_gzip.txt.gz", "This is plain text wearing a .gz name\n\n" + story_body(6))
    put("truncated.txt.gz", zlib.compress(story_body(7).encode())[:40])

    # Hostile XML: billion laughs and an external entity reading a file outside the input folder.
    (out / "xxe_secret.txt").write_text(SECRET_XXE + "\n", encoding="utf-8")
    laughs = ['<!ENTITY lol0 "' + LAUGH + '">'] + [
        f'<!ENTITY lol{i} "' + f"&lol{i - 1};" * 10 + '">' for i in range(1, 10)]
    put("billion_laughs.xml", '<?xml version="1.0"?>\n<!DOCTYPE rss [\n' + "\n".join(laughs) + "\n]>\n"
        '<rss version="2.0"><channel><title>Laughs</title><item><title>&lol9;</title>'
        "<description>&lol9;</description></item></channel></rss>")
    secret_uri = (out / "xxe_secret.txt").as_uri()
    put("xxe.xml", f'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM "{secret_uri}">]>\n'
        '<rss version="2.0"><channel><title>XXE</title><item><title>Leak &xxe;</title>'
        f"<description>{story_body(8)} &xxe;</description><link>https://example.com/a</link></item></channel></rss>")
    put("xxe_param.rss", f'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY % p SYSTEM "{secret_uri}"> %p;]>\n'
        '<rss version="2.0"><channel><title>XXE2</title><item><title>Param</title>'
        f"<description>{story_body(9)}</description></item></channel></rss>")
    put("not_xml.atom", b"{this is not xml at all <<<>>>")

    # Symlinks out of the input folder (a file and a directory).
    secret_story = "Secret title\n\n" + SECRET_SYMLINK + " " + story_body(10)
    (out / "symlink_secret.txt").write_text(secret_story, encoding="utf-8")
    (inp / "escape.txt").symlink_to(out / "symlink_secret.txt")
    c.paths.append(inp / "escape.txt")
    (inp / "escape_dir").symlink_to(out, target_is_directory=True)
    c.paths.append(inp / "escape_dir")
    (inp / "dangling.txt").symlink_to(out / "does-not-exist.txt")
    c.paths.append(inp / "dangling.txt")

    # Odd file names: spaces, right-to-left override/mark, shell metacharacters, a newline, a leading dash.
    odd = ["name with  spaces.txt", "rtl\u202egnp.txt", "rlm\u200fmark.txt", "$(touch pwned);.txt",
           "`id` | rm -rf x & y.txt", "-leading-dash.txt", "new\nline.txt", "quote'\"s.txt", "ünïcödé 新闻.txt"]
    for i, name in enumerate(odd):
        put(f"odd/{name}", f"Odd name story number {i}\n\n{story_body(111 + i)}\n")

    # JSON Lines mixing good and broken lines; SQL in titles and names.
    lines = [
        json.dumps({"id": "r1", "title": SQL_TITLE, "body": story_body(12) + " First record.",
                    "authors": [SQL_AUTHOR], "url": "https://example.com/r1"}),
        '{"id": "r2", "title": "broken", "body": "unterminated',
        "[1, 2, 3]",
        json.dumps({"id": "r4", "title": "no body here"}),
        "",
        json.dumps({"id": "r5", "title": SQL_TITLE_2, "body": story_body(13) + " Fifth record with more text."}),
        "garbage \xff} not json",
        json.dumps({"id": "r6", "title": "Nested", "body": {"not": "a string"}}),
        json.dumps({"id": "r7", "title": "Deep", "body": "x"}) [:-1] + ', "deep": ' + "[" * 50_000 + "]" * 50_000 + "}",
    ]
    put("mixed.jsonl", "\n".join(lines) + "\n")
    put("sql_title.txt", f"{SQL_TITLE}\n\n{story_body(14)} The title of this story is an SQL injection attempt.\n")
    c.hostile_titles = [SQL_TITLE, SQL_TITLE_2]
    return c


def entries(c: HostileCorpus) -> list[str]:
    """Every generated path as the run reports it (absolute, not symlink-resolved)."""
    return sorted(os.path.abspath(p) for p in c.paths)


def copy_good(dest: Path, n: int, skip: int = 0) -> list[Path]:
    dest.mkdir(parents=True, exist_ok=True)
    out = []
    for i, src in enumerate(good_articles(n, skip)):
        p = dest / f"{i:03d}_{src.parent.name}.txt"
        shutil.copyfile(src, p)
        out.append(p)
    return out


def crash_on_marker(files: list[object], cfg: object, prior_hashes: dict[str, str]) -> list[object]:
    """A parse function for `parse_isolated` that kills its process on files named with CRASH (fault injection)."""
    from flows.sources import InputFile
    from flows.steps import StepConfig, parse_files

    typed = [f for f in files if isinstance(f, InputFile)]
    if any("CRASH" in f.path for f in typed):
        os.abort()
    assert isinstance(cfg, StepConfig)
    return list(parse_files(typed, cfg, prior_hashes))
