"""The editors' command line (`hub`): parses arguments and prints; the work is done elsewhere.

Exit status: 0 fine, 1 the content has errors (or the command could not do its job because of
the editor's input), 2 the command was used wrongly or the project cannot be read, 3 a bug in
hub itself. Nothing an editor can do should end in a traceback.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict
from datetime import date, datetime, timezone
from pathlib import Path

from . import annotations
from .checking import run_check
from .importer import SeedError, already_imported, draft_from_seed, parse_seed
from .newstory import NewStoryRequest, RequestError, plan_new_story, to_fill
from .project import Project, ProjectError, open_project
from .report import build_report, format_report, stories
from .storyfile import StoryExists, exists_message, write_story

EPILOG = """examples:
  hub check                                 check every story
  hub check content/stories/2024/x.md       report on one story (the whole hub is still read)
  hub new "Title" --source https://... --tag "AI chips" --company NVIDIA
  hub import seeds/000_23e9fba3dfd2d339.txt
  hub report
"""


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write YYYY-MM-DD") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hub", description="Write, import and check the hub's stories without building the site.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", metavar="FILE",
                        help="the site's mkdocs.yml (default: found in this folder or a parent)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = commands.add_parser("check", help="validate stories; exit status 1 on any error",
                                description="Validate stories without building the site. Every "
                                "problem names file, line and field; advisories do not fail.")
    check.add_argument("paths", nargs="*", metavar="PATH",
                       help="story files or folders to report on (default: all)")
    check.add_argument("--format", choices=sorted(annotations.FORMATS), default="human",
                       help="human: file:line: field: message; github: Actions annotations")

    new = commands.add_parser("new", help="start a draft story at the right path",
                              description="Write content/stories/<year>/<slug>.md as a draft with "
                              "valid front matter; never overwrites a file.")
    new.add_argument("title", help="the headline, in quotes")
    new.add_argument("--source", action="append", default=[], metavar="URL", required=True,
                     help="a source page's address (repeat for each source, in citation order)")
    new.add_argument("--tag", action="append", default=[], metavar="TAG", required=True,
                     help="a tag from the tags registry (repeatable)")
    new.add_argument("--company", action="append", default=[], metavar="NAME",
                     help="a company from the companies registry (repeatable)")
    new.add_argument("--date", type=_day, metavar="YYYY-MM-DD", help="the story's date (default: today, UTC)")
    new.add_argument("--slug", default="", help="the file name without .md (default: from the title)")
    new.add_argument("--summary", default="", help="one to three sentences (default: a TODO placeholder)")

    imp = commands.add_parser("import", help="turn a raw news page (seeds/) into a draft story",
                              description="Read a copied news page and write a draft story with "
                              "title, date, summary, body with [n] markers, companies, suggested "
                              "tags and pending sources; never overwrites a file.")
    imp.add_argument("file", help="the text file, e.g. seeds/000_23e9fba3dfd2d339.txt")
    imp.add_argument("--slug", default="", help="the file name without .md (default: from the title)")
    imp.add_argument("--date", type=_day, metavar="YYYY-MM-DD",
                     help="the date to use if the page has no dated line")
    imp.add_argument("--dry-run", action="store_true", help="print the draft instead of writing it")
    imp.add_argument("--force", action="store_true",
                     help="import even if the hub already has a story from this page")

    report = commands.add_parser("report", help="taxonomy and source health",
                                 description="Tags used once, near-duplicate names, unused registry "
                                 "entries, companies named but not listed, single-source stories, "
                                 "publishers by count.")
    report.add_argument("--format", choices=["text", "json"], default="text")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        project = open_project(args.config)
        return COMMANDS[args.command](project, args)
    except ProjectError as exc:
        print(f"hub: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except OSError as exc:
        print(f"hub: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # a bug in hub, not the editor's doing: say so, briefly
        if os.environ.get("HUB_DEBUG"):
            raise
        print(f"hub: internal error ({type(exc).__name__}: {exc}). This is a bug in the hub "
              "command; rerun with HUB_DEBUG=1 for the details and report it.", file=sys.stderr)
        return 3


def cmd_check(project: Project, args: argparse.Namespace) -> int:
    result = run_check(project, args.paths)
    show = annotations.FORMATS[args.format]
    for problem in result.problems:
        print(show(problem, project.display(problem.path)))
    print(f"hub check: {stories(result.stories)}, {result.errors} error(s), "
          f"{result.advisories} advisory note(s)")
    return 1 if result.errors else 0


def cmd_new(project: Project, args: argparse.Namespace) -> int:
    request = NewStoryRequest(args.title, args.source, args.tag, args.company, args.date,
                              args.slug, args.summary)
    try:
        planned = plan_new_story(request, project.load(), project.settings.stories_dir,
                                 datetime.now(timezone.utc).date())
    except RequestError as exc:
        for message in exc.messages:
            print(f"hub new: {message}", file=sys.stderr)
        return 1
    return _write(project, "new", planned.doc_path, planned.draft.text(), to_fill(planned.draft))


def cmd_import(project: Project, args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        print(f"hub import: {args.file}: not UTF-8 text; save it as UTF-8 first", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"hub import: {args.file}: {exc.strerror}", file=sys.stderr)
        return 1
    try:
        page = parse_seed(text, datetime.now(timezone.utc).date())
        hub = project.load()
        result = draft_from_seed(page, hub.registries, args.date)
    except SeedError as exc:
        print(f"hub import: {args.file}: {exc}", file=sys.stderr)
        return 1
    found = already_imported(page, hub.stories)
    if found is not None and not args.force:
        story, how = found
        print(f"hub import: {args.file}: {how} {project.display(story.source_path)}; nothing was "
              "written. Edit that story, or pass --force to import the page again.", file=sys.stderr)
        return 1
    slug = args.slug or result.slug
    doc_path = f"{project.settings.stories_dir}/{result.year}/{slug}.md"
    if args.dry_run:
        print(result.draft.text(), end="")
        return 0
    return _write(project, "import", doc_path, result.draft.text(), result.notes)


def _write(project: Project, command: str, doc_path: str, text: str, notes: list[str]) -> int:
    """Create the story file and tell the editor what is left to do."""
    shown = project.display(doc_path)
    try:
        write_story(project.docs_dir / doc_path, text)
    except StoryExists:
        print(f"hub {command}: {exists_message(shown)}.", file=sys.stderr)
        return 1
    print(f"Wrote {shown} (a draft).")
    print("Before it can be published, fill in:")
    for note in notes:
        print(f"  - {note}")
    print(f"Preview it with `./dev serve`; check it with `./dev hub check {shown}`.")
    return 0


def cmd_report(project: Project, args: argparse.Namespace) -> int:
    paths = project.story_paths()
    report = build_report(project.load(paths), len(paths))
    if args.format == "json":
        print(json.dumps(asdict(report), indent=2, ensure_ascii=False))
    else:
        print(format_report(report, project.display), end="")
    return 0


COMMANDS = {"check": cmd_check, "new": cmd_new, "import": cmd_import, "report": cmd_report}

if __name__ == "__main__":
    sys.exit(main())
