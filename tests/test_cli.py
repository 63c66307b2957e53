"""The crampwise command line: accounts, demo data, CSV export and import."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from crampwise.cli import main
from crampwise.diary.models import Episode, Medicine, Night

pytestmark = pytest.mark.django_db


@pytest.fixture
def runner():
    return CliRunner()


def test_user_add_reads_the_password_from_stdin(runner, django_user_model):
    """The account is created and the password works."""
    result = runner.invoke(
        main,
        ["user", "add", "nora", "--password-stdin", "--time-zone", "Europe/London"],
        input="a very good passphrase\n",
    )
    assert result.exit_code == 0, result.output
    user = django_user_model.objects.get(username="nora")
    assert user.check_password("a very good passphrase") and not user.profile.is_clinician


def test_user_add_can_make_a_clinician(runner, django_user_model):
    """--clinician marks the account as a clinician's."""
    runner.invoke(
        main,
        ["user", "add", "drlee", "--password-stdin", "--clinician", "--time-zone", "Europe/Paris"],
        input="another good passphrase\n",
    )
    assert django_user_model.objects.get(username="drlee").profile.is_clinician


def test_user_add_refuses_a_weak_password_and_a_taken_name(runner, owner):
    """Weak passwords and existing names are refused with a reason."""
    weak = runner.invoke(
        main,
        ["user", "add", "pat", "--password-stdin", "--time-zone", "Europe/London"],
        input="123\n",
    )
    assert weak.exit_code != 0 and "password is not accepted" in weak.output
    taken = runner.invoke(
        main,
        ["user", "add", "alice", "--password-stdin", "--time-zone", "Europe/London"],
        input="a very good passphrase\n",
    )
    assert taken.exit_code != 0 and "exists already" in taken.output


def test_demo_makes_a_realistic_diary_with_gaps(runner, django_user_model):
    """Demo data has missing nights, cramp-free nights, episodes and medicines."""
    result = runner.invoke(main, ["demo", "--nights", "120", "--seed", "3"])
    assert result.exit_code == 0, result.output
    user = django_user_model.objects.get(username="demo")
    nights = Night.objects.filter(user=user)
    assert 80 <= nights.count() < 120  # some nights are left out, as in real diaries
    counts = [n.cramps for n in nights]
    assert 0 in counts and max(counts) >= 2
    assert (
        Episode.objects.filter(user=user).exists() and Medicine.objects.filter(user=user).exists()
    )
    again = runner.invoke(main, ["demo", "--nights", "30", "--seed", "3"])
    assert again.exit_code == 0 and Night.objects.filter(user=user).count() <= 30


def test_export_then_import_into_another_account_is_identical(runner, tmp_path, django_user_model):
    """CLI round trip: export, import elsewhere, export again: the same file."""
    runner.invoke(main, ["demo", "--username", "src", "--nights", "60"])
    django_user_model.objects.create_user("dst", password="x-long-password-1")
    first = tmp_path / "a.csv"
    second = tmp_path / "b.csv"
    assert (
        runner.invoke(main, ["export", "csv", "--username", "src", "--out", str(first)]).exit_code
        == 0
    )
    imported = runner.invoke(main, ["import", "csv", str(first), "--username", "dst", "--json"])
    assert imported.exit_code == 0, imported.output
    assert json.loads(imported.output)["imported"] == first.read_text().count("\n") - 1
    runner.invoke(main, ["export", "csv", "--username", "dst", "--out", str(second)])
    assert first.read_text() == second.read_text()


def test_a_bad_import_names_file_line_and_column_and_imports_nothing(runner, tmp_path, owner):
    """Exit code 1, every problem located, no night stored."""
    bad = tmp_path / "bad.csv"
    bad.write_text("night,cramps\n2026-01-01,2\n2026-01-02,two\n")
    result = runner.invoke(main, ["import", "csv", str(bad), "--username", "alice"])
    assert result.exit_code == 1
    assert f"{bad}: line 3, column cramps" in result.output
    assert not Night.objects.filter(user=owner).exists()


def test_commands_name_an_unknown_user(runner):
    """A mistyped username is a clear error."""
    result = runner.invoke(main, ["export", "csv", "--username", "nobody"])
    assert result.exit_code != 0 and "no user called 'nobody'" in result.output
