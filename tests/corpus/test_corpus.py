"""The corpus of legacy programs (``tests/corpus/programs/<name>/``), each run unchanged.

Every program is our own code written in the style of a public legacy favorites program (the
pattern it stands for is named at the top of its file and in ``tests/corpus/README.md``). The
harness copies the program's folder to a temporary directory and runs, with that directory as
the working directory::

    compat run --emulator --plan P [--user NAME] [--likes N] --emulator-state STATE.json \
        -- <python> <script>

then judges the program by its output files and by the emulator's final state (the
``GET /_emulator/state`` document ``--emulator-state`` writes on exit). Expectations come from
the emulator's dataset (:class:`compat.emulator.Dataset`, the same data the emulator serves),
never from the program's own output alone: the likes a cleaner removed are the likes the
dataset gives the user, an archive's rows are the user's likes in like order, a grabber's URLs
are the dataset's media.

The programs run in parallel (a small pool: the machine has 2 cores), each with a time limit;
tweepy 3 programs run with ``.venv-tweepy3``'s interpreter (one environment cannot hold both
tweepys), so compat run there is the pipx-style case: compat from another environment.
"""

from __future__ import annotations

import concurrent.futures
import csv
import dataclasses
import datetime as dt
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest

from compat.emulator import Dataset
from compat.emulator.search import Query
from compat.emulator.server import SEARCH_WINDOW_S
from tests._support import ptt

HERE = Path(__file__).resolve().parent
PROGRAMS = HERE / "programs"
ROOT = HERE.parent.parent
TWEEPY3_PYTHON = ROOT / ".venv-tweepy3" / "bin" / "python"
COMPAT_SCRIPT = Path(sys.executable).with_name("compat")
#: per program; the whole corpus must stay under 3 minutes
TIME_LIMIT = 90.0
#: the pool: 2 cores, and each run is two processes (compat run + the program)
WORKERS = 3
#: variables of the developer's shell that would change what a program or compat sees
_SCRUBBED = re.compile(r"^(X_|TWITTER_|COMPAT_|AISA_|PYTHON|CONSUMER_|ACCESS_)|_PROXY$", re.I)


@dataclasses.dataclass(frozen=True)
class Run:
    """What one program run left behind."""

    name: str
    command: list[str]
    returncode: int | None  # None: killed at the time limit
    stdout: str
    stderr: str
    folder: Path
    state: dict[str, Any] | None
    started: float  # wall clock just before compat run started: the emulator's anchor follows

    def describe(self) -> str:
        tail = "\n".join(self.stderr.strip().splitlines()[-25:])
        return (
            f"{self.name}: exit {self.returncode}\n$ {' '.join(self.command)}\n"
            f"--- stdout (end) ---\n{self.stdout[-1500:]}\n--- stderr (end) ---\n{tail}"
        )


@dataclasses.dataclass(frozen=True)
class World:
    """The emulator's starting world for a program, rebuilt from the dataset it serves, as
    :class:`compat.emulator.Emulator` builds it (handle, then anchor, then synthetic likes)."""

    dataset: Dataset
    user_id: str
    anchor: int

    @classmethod
    def of(cls, program: Program, anchor: int) -> World:
        dataset = Dataset.default()
        if program.user is not None:
            dataset = dataset.with_screen_name(program.user)
        dataset = dataset.with_anchor(anchor)
        if program.likes:
            dataset = dataset.with_synthetic(program.likes)
        return cls(dataset, dataset.default_user, anchor)

    def likes(self) -> list[str]:
        """The user's liked post ids at start, newest like first."""
        return self.dataset.initial_likes(self.user_id)

    def author(self, tweet_id: str) -> str:
        post = self.dataset.tweet(tweet_id)
        assert post is not None, tweet_id
        user = self.dataset.user(post["author_id"])
        assert user is not None, post["author_id"]
        return str(user["username"])

    def timeline(self, screen_name: str) -> list[str]:
        """The posts the user wrote, newest first (v1.1 user_timeline's order)."""
        uid = self.dataset.user_id_for(screen_name)
        assert uid is not None, screen_name
        return self.dataset.timeline(uid)

    def search(self, query: str) -> list[str]:
        """What recent search finds for ``query`` at the start: the posts of the last 7 days
        that match it, newest first (the emulator's documented operator subset)."""
        parsed = Query.parse(query)
        oldest = self.anchor - SEARCH_WINDOW_S
        found = []
        for tweet_id in self.dataset.newest_first():
            post = self.dataset.tweet(tweet_id)
            if post is None or "created_at" not in post:
                continue
            when = dt.datetime.fromisoformat(post["created_at"].replace("Z", "+00:00"))
            if oldest <= when.timestamp() <= self.anchor and parsed.matches(
                post, self.dataset.user
            ):
                found.append(tweet_id)
        return found

    def not_mine_nor_liked(self, tweet_ids: Iterable[str]) -> list[str]:
        """What a liker likes among ``tweet_ids``: not the user's own, not liked already."""
        liked = set(self.likes())
        return [
            t
            for t in tweet_ids
            if t not in liked and (self.dataset.tweet(t) or {}).get("author_id") != self.user_id
        ]

    def media_urls(self, tweet_ids: Iterable[str]) -> list[str]:
        """What a grabber lists: photo URLs, the best mp4 of each video, in like order."""
        urls = []
        for tweet_id in tweet_ids:
            post = self.dataset.tweet(tweet_id) or {}
            for key in post.get("attachments", {}).get("media_keys", []):
                media = self.dataset.media_object(key)
                assert media is not None, key
                if media["type"] == "photo":
                    urls.append(media["url"])
                    continue
                mp4 = [v for v in media.get("variants", []) if v["content_type"] == "video/mp4"]
                if mp4:
                    urls.append(max(mp4, key=lambda v: v.get("bit_rate", 0))["url"])
        return urls


Judge = Callable[[Run, World], None]


@dataclasses.dataclass(frozen=True)
class Program:
    name: str  # the folder under programs/
    script: str
    library: str
    plan: str  # deliberate: writes need enterprise (likes are Enterprise-only since 2026-04-20)
    judge: Judge
    likes: int = 0
    user: str | None = None
    env: tuple[tuple[str, str], ...] = ()


# -- judgements -----------------------------------------------------------------------------


def _state(run: Run, world: World, plan: str) -> dict[str, Any]:
    """The final state; its plan is checked last, by the test (see test_program_does_its_job)."""
    assert run.state is not None, f"no emulator state written\n{run.describe()}"
    assert run.state["default_user"] == world.user_id, run.state["default_user"]
    return run.state


def _likes_left(state: dict[str, Any], user_id: str) -> int:
    return int(state.get("likes", {}).get(user_id, 0))


def unliked_everything(plan: str) -> Judge:
    """Every like the user had is gone, each exactly once (like_count moved by -1)."""

    def judge(run: Run, world: World) -> None:
        state = _state(run, world, plan)
        initial = world.likes()
        assert initial, "the world gives the user no likes to remove"
        assert _likes_left(state, world.user_id) == 0
        assert state.get("like_count_delta", {}) == {t: -1 for t in initial}

    return judge


def liked_exactly(plan: str, expected: Callable[[World], list[str]], listing: str | None = None):
    """The user now likes exactly ``expected`` more posts (each like_count +1)."""

    def judge(run: Run, world: World) -> None:
        state = _state(run, world, plan)
        wanted = expected(world)
        assert wanted, "the dataset has nothing for this program to like"
        assert state.get("like_count_delta", {}) == {t: 1 for t in wanted}
        assert _likes_left(state, world.user_id) == len(world.likes()) + len(wanted)
        if listing is not None:
            lines = (run.folder / listing).read_text(encoding="utf-8").split()
            assert lines == wanted

    return judge


def left_state_unchanged(run: Run, world: World, plan: str) -> None:
    state = _state(run, world, plan)
    assert state.get("like_count_delta", {}) == {}
    assert _likes_left(state, world.user_id) == len(world.likes())


def read_judge(plan: str, check: Callable[[Run, World], None]) -> Judge:
    def judge(run: Run, world: World) -> None:
        left_state_unchanged(run, world, plan)
        check(run, world)

    return judge


def _likes_with_authors(world: World) -> list[tuple[str, str]]:
    return [(t, world.author(t)) for t in world.likes()]


def check_json_backup(run: Run, world: World) -> None:
    statuses = json.loads((run.folder / "likes.json").read_text(encoding="utf-8"))
    got = [(s["id_str"], s["user"]["screen_name"]) for s in statuses]
    assert got == _likes_with_authors(world)
    assert all(s["favorited"] is True for s in statuses)


def check_media_list(run: Run, world: World) -> None:
    lines = (run.folder / "media_urls.txt").read_text(encoding="utf-8").splitlines()
    expected = world.media_urls(world.likes())
    assert expected, "the world has no media among the likes"
    assert lines == expected


def check_timeline_csv(run: Run, world: World) -> None:
    with (run.folder / "timeline.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["id"] for r in rows] == world.timeline("Twitter")


def check_timeline_jsonl(run: Run, world: World) -> None:
    lines = (run.folder / "timeline.jsonl").read_text(encoding="utf-8").splitlines()
    items = [json.loads(line) for line in lines]
    assert [i["id"] for i in items] == world.timeline("Twitter")
    assert {i["user"] for i in items} == {"Twitter"}


def check_tab_list(run: Run, world: World) -> None:
    lines = (run.folder / "likes.txt").read_text(encoding="utf-8").splitlines()
    assert [tuple(line.split("\t")) for line in lines] == _likes_with_authors(world)


def check_sqlite(run: Run, world: World) -> None:
    db = sqlite3.connect(run.folder / "favorites.sqlite3")
    try:
        rows = db.execute("SELECT id, screen_name FROM favorites ORDER BY seq").fetchall()
    finally:
        db.close()
    assert rows == _likes_with_authors(world)


def check_csv(run: Run, world: World) -> None:
    with (run.folder / "favorites.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(r["id"], r["screen_name"]) for r in rows] == _likes_with_authors(world)


def check_jsonl_archive(run: Run, world: World) -> None:
    lines = (run.folder / "favorites.jsonl").read_text(encoding="utf-8").splitlines()
    items = [json.loads(line) for line in lines]
    assert [(i["id_str"], i["user"]["screen_name"]) for i in items] == _likes_with_authors(world)


def check_ptt_export(run: Run, world: World) -> None:
    doc = json.loads((run.folder / "favorites.json").read_text(encoding="utf-8"))
    assert doc["user"] == world.dataset.users[world.user_id]["username"]
    got = [(s["id_str"], s["user"]["screen_name"]) for s in doc["favorites"]]
    assert got == _likes_with_authors(world)


def check_inclusive_pages(run: Run, world: World) -> None:
    """max_id = the last id, inclusive, no dedupe: each page starts with the previous page's
    last like, as v1.1 answered; the loop stops at a page holding only that like."""
    likes = world.likes()
    expected, start = [], 0
    while len(likes[start : start + 200]) > 1:
        expected.append(likes[start : start + 200])
        start += 199
    files = sorted(run.folder.glob("fav_*.json"), key=lambda p: int(p.stem.split("_")[1]))
    pages = [[s["id_str"] for s in json.loads(p.read_text())] for p in files]
    assert pages == expected


# -- the corpus -----------------------------------------------------------------------------

_PLACEHOLDER_KEYS = (
    ("CONSUMER_KEY", "the-user's-consumer-key"),
    ("CONSUMER_SECRET", "the-user's-consumer-secret"),
    ("ACCESS_TOKEN", "the-user's-access-token"),
    ("ACCESS_TOKEN_SECRET", "the-user's-access-token-secret"),
)
ENTERPRISE, PAY_PER_USE = "enterprise", "pay-per-use"

CORPUS: tuple[Program, ...] = (
    Program(
        "tweepy3_unliker_secrets",
        "unlike_all.py",
        "tweepy 3",
        ENTERPRISE,
        unliked_everything(ENTERPRISE),
        likes=45,
    ),
    Program(
        "tweepy3_search_liker",
        "favbot.py",
        "tweepy 3",
        ENTERPRISE,
        liked_exactly(ENTERPRISE, lambda w: w.not_mine_nor_liked(w.search("#python")[:20])),
        env=_PLACEHOLDER_KEYS,
    ),
    Program(
        "tweepy4_media_grabber_dotenv",
        "grab_media.py",
        "tweepy 4",
        PAY_PER_USE,
        read_judge(PAY_PER_USE, check_media_list),
        likes=120,
    ),
    Program(
        "tweepy4_json_backup",
        "backup_likes.py",
        "tweepy 4",
        PAY_PER_USE,
        read_judge(PAY_PER_USE, check_json_backup),
        user="Twitter",
    ),
    Program(
        "tweepy4_timeline_csv_ini",
        "timeline_to_csv.py",
        "tweepy 4",
        PAY_PER_USE,
        read_judge(PAY_PER_USE, check_timeline_csv),
    ),
    Program(
        "tweepy4_own_compat_helper",
        "list_likes.py",
        "tweepy 4",
        PAY_PER_USE,
        read_judge(PAY_PER_USE, check_tab_list),
        likes=40,
    ),
    Program(
        "python_twitter_unliker",
        "unfav.py",
        "python-twitter",
        ENTERPRISE,
        unliked_everything(ENTERPRISE),
        likes=40,
    ),
    Program(
        "python_twitter_sqlite_archiver",
        "archive_favs.py",
        "python-twitter",
        PAY_PER_USE,
        read_judge(PAY_PER_USE, check_sqlite),
        likes=450,
    ),
    Program(
        "twython_csv_archiver",
        "favorites_to_csv.py",
        "Twython",
        PAY_PER_USE,
        read_judge(PAY_PER_USE, check_csv),
        likes=250,
    ),
    Program(
        "twython_timeline_cursor",
        "dump_timeline.py",
        "Twython",
        PAY_PER_USE,
        read_judge(PAY_PER_USE, check_timeline_jsonl),
    ),
    Program(
        "twython_search_liker",
        "autolike.py",
        "Twython",
        ENTERPRISE,
        liked_exactly(
            ENTERPRISE,
            lambda w: w.not_mine_nor_liked(w.search("tweepy")[:25]),
            listing="liked.txt",
        ),
    ),
    Program(
        "twitterapi_unliker",
        "remove_likes.py",
        "TwitterAPI",
        ENTERPRISE,
        unliked_everything(ENTERPRISE),
        likes=30,
    ),
    Program(
        "twitterapi_pager_archiver",
        "archive.py",
        "TwitterAPI",
        PAY_PER_USE,
        read_judge(PAY_PER_USE, check_jsonl_archive),
        user="Twitter",
    ),
    Program(
        "ptt_json_export",
        "export_favorites.py",
        "python-twitter-tools",
        PAY_PER_USE,
        read_judge(PAY_PER_USE, check_ptt_export),
        likes=230,
    ),
    Program(
        "ptt_timeline_liker",
        "like_timeline.py",
        "python-twitter-tools",
        ENTERPRISE,
        liked_exactly(ENTERPRISE, lambda w: w.not_mine_nor_liked(w.timeline("TwitterDev")[:50])),
    ),
    Program(
        "requests_oauthlib_page_dumper",
        "dump_favs.py",
        "requests_oauthlib",
        PAY_PER_USE,
        read_judge(PAY_PER_USE, check_inclusive_pages),
        likes=420,
    ),
)
BY_NAME = {p.name: p for p in CORPUS}


# -- running --------------------------------------------------------------------------------


def _child_env(program: Program) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not _SCRUBBED.search(k)}
    if program.library == "python-twitter-tools":
        # its import package "twitter" is python-twitter's too: it lives apart (bootstrap.sh)
        env = ptt.environment(env)
    env.update(program.env)
    return env


def command_for(program: Program, state_path: Path) -> list[str]:
    # the console script, as a user types it (``python -m compat`` in the program's folder
    # would run a program's own compat.py)
    command = [str(COMPAT_SCRIPT), "run", "--emulator", "--plan", program.plan]
    if program.user is not None:
        command += ["--user", program.user]
    if program.likes:
        command += ["--likes", str(program.likes)]
    command += ["--emulator-state", str(state_path), "--"]
    command += [interpreter_for(program.library), program.script]
    return command


def interpreter_for(library: str) -> str:
    """ "python" is what a user types (compat run's own interpreter); tweepy 3's environment
    is another interpreter (python-twitter-tools: the same one, with .venv/ptt on its path)."""
    if library == "tweepy 3":
        return str(TWEEPY3_PYTHON)
    return "python"


def run_program(program: Program, workdir: Path) -> Run:
    folder = workdir / program.name
    shutil.copytree(PROGRAMS / program.name, folder)
    state_path = workdir / f"{program.name}.state.json"
    command = command_for(program, state_path)
    started = time.time()
    process = subprocess.Popen(
        command,
        cwd=folder,
        env=_child_env(program),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own group: a run past the time limit is killed whole
    )
    try:
        stdout, stderr = process.communicate(timeout=TIME_LIMIT)
        returncode: int | None = process.returncode
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        stdout, stderr = process.communicate()
        returncode = None
        stderr += f"\n[corpus] killed after {TIME_LIMIT:.0f} s"
    state = json.loads(state_path.read_text(encoding="utf-8")) if state_path.exists() else None
    return Run(program.name, command, returncode, stdout, stderr, folder, state, started)


class Corpus:
    """Runs the selected programs on a small pool, all started at the first request."""

    def __init__(self, names: list[str], workdir: Path) -> None:
        self._names = names
        self._workdir = workdir
        self._lock = threading.Lock()
        self._pool: concurrent.futures.ThreadPoolExecutor | None = None
        self._futures: dict[str, concurrent.futures.Future[Run]] = {}

    def result(self, name: str) -> Run:
        with self._lock:
            if self._pool is None:
                self._pool = concurrent.futures.ThreadPoolExecutor(WORKERS)
                for n in self._names:
                    self._futures[n] = self._pool.submit(run_program, BY_NAME[n], self._workdir)
        return self._futures[name].result()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)


@pytest.fixture(scope="module")
def corpus(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    selected = [
        item.callspec.params["name"]
        for item in request.session.items
        if getattr(item, "callspec", None) is not None
        and item.module is request.module
        and "name" in item.callspec.params
    ]
    runner = Corpus(selected, tmp_path_factory.mktemp("corpus"))
    yield runner
    runner.close()


#: compat run starts the emulator within seconds of its own start
_ANCHOR_SPAN_S = 10


def judge_in_its_world(program: Program, run: Run) -> None:
    """Judge ``run`` in the world its emulator served. The generated timelines end at the
    emulator's start (its anchor, whole seconds); the state names it when the emulator says
    it, else it is one of the few seconds after compat run started: the program passes when
    it did its job in one of them (a wrong program matches none)."""
    state = run.state or {}
    if isinstance(state.get("anchor"), (int, float)):
        anchors = [int(state["anchor"])]
    else:
        anchors = list(range(int(run.started), int(run.started) + _ANCHOR_SPAN_S))
    first: AssertionError | None = None
    for anchor in anchors:
        try:
            program.judge(run, World.of(program, anchor))
            return
        except AssertionError as exc:
            first = first or exc
    assert first is not None
    raise first


@pytest.mark.parametrize("name", [p.name for p in CORPUS])
def test_program_does_its_job(name: str, corpus: Corpus) -> None:
    program = BY_NAME[name]
    run = corpus.result(name)
    assert run.returncode == 0, run.describe()
    judge_in_its_world(program, run)
    assert run.state is not None
    assert run.state["plan"] == program.plan, f"the emulator served {run.state['plan']}"


_LIBRARY_PROBES = {
    "tweepy 3": "import tweepy; assert tweepy.__version__.startswith('3.'), tweepy.__version__",
    "tweepy 4": "import tweepy; assert tweepy.__version__.startswith('4.'), tweepy.__version__",
    "python-twitter": "import twitter; twitter.Api; twitter.TwitterError",
    "Twython": "import twython; twython.Twython",
    "TwitterAPI": "import TwitterAPI; TwitterAPI.TwitterAPI; TwitterAPI.TwitterPager",
    "python-twitter-tools": "import twitter; twitter.Twitter; twitter.OAuth",
    "requests_oauthlib": "import requests_oauthlib; requests_oauthlib.OAuth1Session",
}


@pytest.mark.parametrize("library", sorted(_LIBRARY_PROBES))
def test_each_library_is_the_real_package_in_its_interpreter(library: str) -> None:
    """The interpreter a program runs with holds the library it was written for (python-twitter
    and python-twitter-tools cannot share an environment: both install ``twitter/``)."""
    python = interpreter_for(library)
    python = sys.executable if python == "python" else python
    program = next(p for p in CORPUS if p.library == library)
    probe = subprocess.run(
        [python, "-c", _LIBRARY_PROBES[library]],
        capture_output=True,
        text=True,
        env=_child_env(program),
        cwd=HERE,
        timeout=60,
    )
    assert probe.returncode == 0, f"{library} in {python}:\n{probe.stderr[-1500:]}"


def test_the_corpus_covers_every_library_and_pattern() -> None:
    libraries = {p.library for p in CORPUS}
    assert libraries == {
        "tweepy 3",
        "tweepy 4",
        "python-twitter",
        "Twython",
        "TwitterAPI",
        "python-twitter-tools",
        "requests_oauthlib",
    }
    assert len(CORPUS) >= 14
    sources = {p.name: (PROGRAMS / p.name / p.script).read_text(encoding="utf-8") for p in CORPUS}
    readme = (HERE / "README.md").read_text(encoding="utf-8")
    for name, text in sources.items():
        assert "Public pattern:" in text.split("\n\n", 1)[0], name  # named in its top comment
        assert f"`{name}`" in readme, name
    every = "\n".join(sources.values())
    for needle in (
        "api.me()",
        "verify_credentials",
        "VerifyCredentials",
        "destroy_favorite",
        "sleep_on_rate_limit=True",
        "t.favorites.list(",
        "t.favorites.create(_id=",
        "api.search",
        "user_timeline",
        "media_url_https",
        "sqlite3",
        "csv",
        "configparser",
    ):
        assert needle in every, needle
    for own in ("secrets.py", "config.py", ".env", "config.ini", "compat.py", "settings.py"):
        assert any((PROGRAMS / p.name / own).exists() for p in CORPUS), own
