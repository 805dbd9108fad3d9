#!/usr/bin/env python3
"""The "Every value" table of docs/calibration.md: every field a scenario file sets, its value and
the source its comment gives.

    /usr/bin/python3 analysis/calibration_table.py scenarios/mic2025.yaml        # print the table
    /usr/bin/python3 analysis/calibration_table.py scenarios/mic2025.yaml --write docs/calibration.md

Reads the file line by line (block maps, lists of named maps, one-line flow values and their
trailing `# comments`), which is the layout of the shipped scenarios; anything else is reported
as an error rather than guessed. With --write it replaces the table under "## Every value".
"""
import argparse
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")

HEADING = "## Every value"
HEADER = "| field | value | source |\n| --- | --- | --- |"
KEY_LINE = re.compile(r"^(?P<indent> *)(?P<dash>- )?(?P<key>[A-Za-z_][A-Za-z0-9_]*):(?: +(?P<value>.*))?$")
FLOW_ITEM = re.compile(r"^(?P<indent> *)- (?P<value>\{.*)$")


def split_comment(text):
    """Value and comment of the rest of a line (a '#' inside brackets or quotes is not a comment)."""
    depth, quote = 0, None
    for k, c in enumerate(text):
        if quote:
            quote = None if c == quote else quote
        elif c in "'\"":
            quote = c
        elif c in "[{":
            depth += 1
        elif c in "]}":
            depth -= 1
        elif c == "#" and depth == 0 and (k == 0 or text[k - 1] == " "):
            return text[:k].strip(), text[k + 1:].strip()
    return text.strip(), ""


def join(stack, key=None):
    """Dotted path of the open maps and named list items ([name] after its list)."""
    path = ""
    for name in [n for _, n in stack] + ([key] if key else []):
        path += name if name.startswith("[") or not path else "." + name
    return path


def rows(path):
    """(field, value, source) for every scalar or flow value the file sets, in file order."""
    out = []
    stack = []  # (indent, name) of the open block maps and named list items
    section_source = {}  # comment on a list's own line: the source of items without their own
    with open(path, encoding="utf-8") as f:
        for number, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            flow = FLOW_ITEM.match(line)
            m = None if flow else KEY_LINE.match(line)
            if not flow and not m:
                raise ValueError(f"{path}:{number}: not a layout this table reads: {line.strip()}")
            indent = len((flow or m).group("indent"))
            stack = [(i, n) for i, n in stack if i < indent]
            if flow:
                value, comment = split_comment(flow.group("value"))
                out.append((join(stack), value, comment or section_source.get(join(stack), "")))
                continue
            value, comment = split_comment(m.group("value") or "")
            if m.group("dash"):
                if m.group("key") != "name":
                    raise ValueError(f"{path}:{number}: a list item must start with its name")
                stack.append((indent, f"[{value}]"))
            elif value == "":
                stack.append((indent, m.group("key")))
                section_source[join(stack)] = comment
            else:
                out.append((join(stack, m.group("key")), value, comment))
    return out


def table(path):
    lines = [f"Generated from `{os.path.relpath(path, ROOT)}` by `analysis/calibration_table.py` (`--write docs/calibration.md`; "
             "a test fails when this table is stale).", "", HEADER]
    for field, value, source in rows(path):
        lines.append(f"| `{field}` | `{value}` | {source} |")
    return "\n".join(lines)


def write(doc, text):
    with open(doc, encoding="utf-8") as f:
        content = f.read()
    start = content.index(HEADING) + len(HEADING)
    following = content.find("\n## ", start)
    following = len(content) if following < 0 else following
    with open(doc, "w", encoding="utf-8") as f:
        f.write(content[:start] + "\n\n" + text + "\n" + content[following:])


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Print (or write into docs/calibration.md) the table of every value a scenario file sets, with its source.",
        epilog="examples:\n"
               "  /usr/bin/python3 analysis/calibration_table.py scenarios/mic2025.yaml\n"
               "  /usr/bin/python3 analysis/calibration_table.py scenarios/mic2025.yaml --write docs/calibration.md",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenario")
    parser.add_argument("--write", metavar="DOC", help="replace the table under '## Every value' in DOC")
    args = parser.parse_args(argv)
    try:
        text = table(args.scenario)
    except (OSError, ValueError) as e:
        print(f"calibration_table.py: error: {e}", file=sys.stderr)
        return 2
    if args.write:
        write(args.write, text)
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
