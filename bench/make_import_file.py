"""Write a realistic HRIS export for benchmarking `tandem import-people`.

    .venv/bin/python bench/make_import_file.py --people 10000 --out var/import-10000.csv
    .venv/bin/python bench/make_import_file.py --people 10000 --format xlsx --out var/i.xlsx
    .venv/bin/python bench/make_import_file.py --people 10000 --bamboohr --out var/b.csv

Deterministic for a seed. Managers come before or after their reports in random order
(as real exports do), spans of control are 4-10, a few people are on leave or gone.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from datetime import date, timedelta
from pathlib import Path

from faker import Faker

DEPARTMENTS = [
    "Engineering",
    "Product",
    "Design",
    "Sales",
    "Marketing",
    "Customer Success",
    "Finance",
    "People",
    "Legal",
    "Operations",
]
TITLES = ["Associate", "Specialist", "Senior Specialist", "Lead", "Manager", "Director"]
ZONES = ["Europe/Berlin", "Europe/London", "America/New_York", "Asia/Singapore", "UTC"]
OURS = [
    "employee_id",
    "email",
    "first_name",
    "last_name",
    "preferred_name",
    "title",
    "level",
    "department",
    "manager_employee_id",
    "location",
    "time_zone",
    "start_date",
    "status",
    "end_date",
]
BAMBOOHR = [
    "Employee #",
    "Work Email",
    "First Name",
    "Last Name",
    "Preferred Name",
    "Job Title",
    "Level",
    "Department",
    "Supervisor EID",
    "Location",
    "Time Zone",
    "Hire Date",
    "Status",
    "Termination Date",
]


def make_rows(people: int, seed: int) -> list[list[str]]:
    rng = random.Random(seed)
    fake = Faker()
    fake.seed_instance(seed)
    rows: list[list[str]] = []
    managers: list[int] = []  # indexes of people who still take reports
    spans: dict[int, int] = {}
    for index in range(people):
        manager = None
        if index:
            manager = managers[0]
            spans[manager] -= 1
            if spans[manager] == 0:
                managers.pop(0)
        spans[index] = rng.randint(4, 10)
        managers.append(index)
        first, last = fake.first_name(), fake.last_name()
        start = date(2015, 1, 1) + timedelta(days=rng.randint(0, 3500))
        roll = rng.random()
        status, end = "active", ""
        if roll < 0.02:
            status = "on leave"
        leaves = roll > 0.985 and index > 0 and len(managers) > 1
        rows.append(
            [
                f"E{index + 1:06d}",
                f"{first}.{last}.{index}@example.com".lower().replace(" ", ""),
                first,
                last,
                first[:3] if rng.random() < 0.05 else "",
                rng.choice(TITLES),
                f"L{rng.randint(1, 7)}",
                DEPARTMENTS[index % len(DEPARTMENTS)] if index else "Executive",
                f"E{manager + 1:06d}" if manager is not None else "",
                fake.city(),
                rng.choice(ZONES),
                start.isoformat(),
                status,
                end,
            ]
        )
        if leaves:
            # Leavers take no reports: everyone else stays under an active manager.
            rows[-1][12] = "left"
            rows[-1][13] = (start + timedelta(days=rng.randint(30, 900))).isoformat()
            if managers and managers[-1] == index:
                managers.pop()
    rng.shuffle(rows)
    return rows


def change(rows: list[list[str]], seed: int) -> None:
    """Promote everyone and give one in ten a new manager with a smaller id (no cycles)."""
    rng = random.Random(seed + 1)
    active = sorted(int(r[0][1:]) for r in rows if r[12] != "left")
    for row in rows:
        row[5] = f"{row[5]} II"
        number = int(row[0][1:])
        if row[8] and row[12] != "left" and rng.random() < 0.1 and number > 2:
            candidates = [n for n in active[:200] if n < number]
            row[8] = f"E{rng.choice(candidates):06d}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    parser.add_argument("--bamboohr", action="store_true", help="BambooHR headers, semicolons")
    parser.add_argument(
        "--changed",
        action="store_true",
        help="the same people a year later: every title changed, 10%% with a new manager",
    )
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    rows = make_rows(args.people, args.seed)
    if args.changed:
        change(rows, args.seed)
    headers = BAMBOOHR if args.bamboohr else OURS
    args.out.parent.mkdir(parents=True, exist_ok=True)
    if args.format == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("People")
        sheet.append(headers)
        for row in rows:
            sheet.append(
                [date.fromisoformat(v) if i in (11, 13) and v else v for i, v in enumerate(row)]
            )
        workbook.save(args.out)
    else:
        with args.out.open(
            "w", newline="", encoding="utf-8-sig" if args.bamboohr else "utf-8"
        ) as f:
            writer = csv.writer(f, delimiter=";" if args.bamboohr else ",")
            writer.writerow(headers)
            writer.writerows(rows)
    print(f"wrote {len(rows)} people to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
