"""The production shape (Dockerfile, docker-compose.yml, .env.example) agrees with itself and with settings.

No Docker engine runs on CI, so these tests read the files: the compose file names the services
docs/operations.md describes, the web service runs the image's own command line, and every variable that
yjplan/settings.py reads is documented in .env.example. No database is needed.
"""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "Dockerfile"
COMPOSE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
SETTINGS = ROOT / "yjplan" / "settings.py"

GUNICORN = [
    "gunicorn",
    "yjplan.wsgi:application",
    "--bind",
    "0.0.0.0:8000",
    "--workers",
    "2",
    "--access-logfile",
    "-",
]

SERVICE = re.compile(r"^  ([A-Za-z0-9_.-]+):\s*$")
SERVICE_KEY = re.compile(r"^    ([A-Za-z0-9_-]+):\s*(.*)$")


def _read_services_by_lines(text: str) -> dict[str, dict]:
    """A small reader for the compose file's top-level ``services:`` block, for when PyYAML is absent.

    Returns each service's own keys (four-space indent) with their raw values; a one-line flow sequence
    (``command: ["a", "b"]``) becomes a list. Keys merged in from an anchor (``<<: *app``) are not
    expanded, which is enough for the keys these tests read.
    """
    services: dict[str, dict] = {}
    current = None
    inside = False
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line.startswith(" "):
            inside = line.rstrip() == "services:"
            current = None
            continue
        if not inside:
            continue
        if match := SERVICE.match(line):
            current = services.setdefault(match.group(1), {})
        elif current is not None and (match := SERVICE_KEY.match(line)):
            key, value = match.groups()
            value = value.strip()
            if value.startswith("["):
                current[key] = json.loads(value)
            elif len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                current[key] = value[1:-1]
            else:
                current[key] = value
    return services


def compose_services() -> dict[str, dict]:
    text = COMPOSE.read_text()
    try:
        import yaml
    except ImportError:
        return _read_services_by_lines(text)
    return yaml.safe_load(text)["services"]


def dockerfile_cmd() -> list[str]:
    """The exec-form CMD of the final stage (the last CMD in the file)."""
    commands = re.findall(r"^CMD\s+(\[.*\])\s*$", DOCKERFILE.read_text(), flags=re.MULTILINE)
    assert commands, "the Dockerfile has no exec-form CMD"
    return json.loads(commands[-1])


def option(argv: list[str], name: str) -> str:
    return argv[argv.index(name) + 1]


def test_the_line_reader_reads_a_compose_services_block():
    text = (
        "x-app: &app\n"
        "  image: yjplan:latest\n"
        "services:\n"
        "  # the database\n"
        "  postgres:\n"
        "    image: postgres:15\n"
        "    healthcheck:\n"
        '      test: ["CMD-SHELL", "pg_isready"]\n'
        "  web:\n"
        "    <<: *app\n"
        '    command: ["gunicorn", "yjplan.wsgi:application"]\n'
        '    restart: "no"\n'
        "volumes:\n"
        "  pgdata:\n"
    )
    assert _read_services_by_lines(text) == {
        "postgres": {"image": "postgres:15", "healthcheck": ""},
        "web": {"command": ["gunicorn", "yjplan.wsgi:application"], "restart": "no"},
    }


def test_compose_runs_the_five_services_and_a_one_shot_migrate():
    services = compose_services()
    assert sorted(services) == ["beat", "migrate", "postgres", "redis", "web", "worker"]
    assert services["postgres"]["image"] == "postgres:15"
    assert services["redis"]["image"] == "redis:7"


def test_the_line_reader_and_the_compose_file_agree_on_commands():
    by_lines = _read_services_by_lines(COMPOSE.read_text())
    assert sorted(by_lines) == ["beat", "migrate", "postgres", "redis", "web", "worker"]
    assert by_lines["web"]["command"] == GUNICORN
    assert by_lines["worker"]["command"] == ["celery", "-A", "yjplan", "worker", "--loglevel=INFO"]
    assert by_lines["migrate"]["command"] == ["python", "manage.py", "migrate", "--noinput"]


def test_the_image_serves_the_wsgi_application_with_gunicorn():
    assert dockerfile_cmd() == GUNICORN
    assert dockerfile_cmd()[1] == "yjplan.wsgi:application"


def test_compose_web_runs_exactly_the_image_command():
    assert compose_services()["web"]["command"] == dockerfile_cmd()


def test_celery_services_run_the_yjplan_app():
    services = compose_services()
    assert services["worker"]["command"] == ["celery", "-A", "yjplan", "worker", "--loglevel=INFO"]
    assert services["beat"]["command"][:5] == ["celery", "-A", "yjplan", "beat", "--loglevel=INFO"]


def _gunicorn_workers_elsewhere() -> list[tuple[str, str]]:
    """``--workers``/``-w`` values given to gunicorn in the Makefile and bench/, as (file, value)."""
    candidates = [ROOT / "Makefile", *sorted((ROOT / "bench").glob("**/*.py"))]
    pattern = re.compile(r"""(?:--workers|-w)["']?(?:\s*[=,]\s*|\s+)["']?(\d+)""")
    found = []
    for path in candidates:
        if not path.is_file():
            continue
        text = path.read_text()
        if "gunicorn" not in text:
            continue
        found += [(path.name, value) for value in pattern.findall(text)]
    return found


def test_image_gunicorn_workers_match_the_makefile_and_bench():
    image_workers = option(dockerfile_cmd(), "--workers")
    assert image_workers == "2"
    assert option(dockerfile_cmd(), "--bind") == "0.0.0.0:8000"
    for where, workers in _gunicorn_workers_elsewhere():
        assert (where, workers) == (where, image_workers)


def settings_env_names() -> list[str]:
    return sorted(set(re.findall(r'env\.\w+\("([A-Z_]+)"', SETTINGS.read_text())))


def env_example_names() -> list[str]:
    return sorted(re.findall(r"^([A-Z_][A-Z0-9_]*)=", ENV_EXAMPLE.read_text(), flags=re.MULTILINE))


def test_env_example_lists_every_variable_settings_reads():
    names = settings_env_names()
    assert "SECRET_KEY" in names and "DATABASE_URL" in names and "REDIS_URL" in names
    missing = [name for name in names if name not in env_example_names()]
    assert missing == []


def test_env_example_lists_each_variable_once_with_a_comment_above_it():
    names = env_example_names()
    assert len(names) == len(set(names))
    lines = ENV_EXAMPLE.read_text().splitlines()
    uncommented = [
        line.split("=", 1)[0]
        for index, line in enumerate(lines)
        if re.match(r"^[A-Z_][A-Z0-9_]*=", line) and not lines[index - 1].startswith("# ")
    ]
    assert uncommented == []


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DEBUG", "0"),
        ("DATABASE_URL", "postgres://yjplan:yjplan@postgres:5432/yjplan"),
        ("REDIS_URL", "redis://redis:6379/0"),
    ],
)
def test_env_example_and_compose_environment_agree(name, value):
    in_compose = re.findall(rf'^\s+{name}: "?([^"\s]*)"?\s*$', COMPOSE.read_text(), flags=re.MULTILINE)
    in_example = re.findall(rf"^{name}=(.*)$", ENV_EXAMPLE.read_text(), flags=re.MULTILINE)
    assert (in_compose, in_example) == ([value], [value])


def test_media_root_is_the_shared_volume_of_web_and_worker():
    assert re.findall(r"^MEDIA_ROOT=(.*)$", ENV_EXAMPLE.read_text(), flags=re.MULTILINE) == ["/app/media"]
    mounts = re.findall(r"^\s+- (media:\S+)\s*$", COMPOSE.read_text(), flags=re.MULTILINE)
    assert mounts == ["media:/app/media", "media:/app/media"]
