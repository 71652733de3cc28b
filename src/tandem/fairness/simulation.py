"""Simulated review cycles with known rater effects, for the estimator's tests and bench.

A company of teams, each with a manager: the teams differ in true performance (a strong
team is not a lenient manager), each manager has a known leniency, every person rates
themselves (with their own self-rating tendency) and is rated by peers from other teams
(each peer with a leniency of their own); every rating is rounded and clipped to the
scale, as real ratings are. Seeded: the same arguments give the same cycle.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from tandem.fairness.estimator import FloatArray, IntArray

RELATIONSHIPS = ("manager", "self", "peer")
MANAGER, SELF, PEER = 0, 1, 2


@dataclass(frozen=True)
class SimulatedCycle:
    y: FloatArray  # ratings in points, whole numbers 1..points
    ratee: IntArray  # person index 0..n_people-1
    rater_person: IntArray  # person index of the writer; managers are n_people + team
    relationship: IntArray  # index into RELATIONSHIPS
    team: IntArray  # each person's team
    manager_leniency: FloatArray  # true leniency of each team's manager, in points
    points: int

    @property
    def rater(self) -> IntArray:
        """Dense codes of (writer, relationship): one rater effect per writer and relationship."""
        keys = self.rater_person * len(RELATIONSHIPS) + self.relationship
        codes: npt.NDArray[np.int64] = np.unique(keys, return_inverse=True)[1].astype(np.int64)
        return codes

    def manager_code_of_team(self) -> IntArray:
        """The rater code of each team's manager (as a manager), -1 where a team has none."""
        rater = self.rater
        found = np.full(len(self.manager_leniency), -1, dtype=np.int64)
        is_manager = self.relationship == MANAGER
        found[self.team[self.ratee[is_manager]]] = rater[is_manager]
        return found


def simulate(
    *,
    people: int = 2000,
    team_size: tuple[int, int] = (3, 10),
    peers_per_person: int = 3,
    points: int = 5,
    team_sd: float = 0.4,
    person_sd: float = 0.5,
    manager_leniency_sd: float = 0.4,
    self_sd: float = 0.3,
    peer_leniency_sd: float = 0.25,
    noise_sd: float = 0.35,
    seed: int = 14,
) -> SimulatedCycle:
    """One cycle: every person gets a manager rating, a self rating and `peers_per_person`
    peer ratings from people in other teams."""
    rng = np.random.default_rng(seed)
    sizes: list[int] = []
    while sum(sizes) < people:
        sizes.append(int(rng.integers(team_size[0], team_size[1] + 1)))
    sizes[-1] -= sum(sizes) - people
    if sizes[-1] <= 0:
        sizes.pop()
    n_teams = len(sizes)
    team = np.repeat(np.arange(n_teams), sizes).astype(np.int64)
    centre = (points + 1) / 2
    performance = rng.normal(0, team_sd, n_teams)[team] + rng.normal(0, person_sd, people)
    leniency = rng.normal(0, manager_leniency_sd, n_teams)
    self_tendency = rng.normal(0, self_sd, people)
    peer_leniency = rng.normal(0, peer_leniency_sd, people)
    everyone = np.arange(people, dtype=np.int64)

    # Peers from other teams, each at most once per person: distinct offsets around the
    # circle of people, at least a team's width away (so never in one's own team).
    low, high = team_size[1], people - team_size[1]
    draws = np.sort(rng.integers(0, high - low - peers_per_person, (people, peers_per_person)))
    offsets = low + draws + np.arange(peers_per_person)
    peer = (everyone[:, None] + offsets) % people
    peer_flat = peer.ravel()
    peer_ratee = np.repeat(everyone, peers_per_person)

    ratee = np.concatenate([everyone, everyone, peer_ratee])
    rater_person = np.concatenate([people + team, everyone, peer_flat])
    relationship = np.concatenate(
        [np.full(people, MANAGER), np.full(people, SELF), np.full(len(peer_flat), PEER)]
    ).astype(np.int64)
    true_rating = (
        centre
        + performance[ratee]
        + np.where(relationship == MANAGER, leniency[team[ratee]], 0.0)
        + np.where(relationship == SELF, 0.3 + self_tendency[ratee], 0.0)
        + np.where(relationship == PEER, peer_leniency[rater_person % people], 0.0)
        + rng.normal(0, noise_sd, len(ratee))
    )
    y = np.clip(np.rint(true_rating), 1, points)
    return SimulatedCycle(
        y=y.astype(np.float64),
        ratee=ratee.astype(np.int64),
        rater_person=rater_person.astype(np.int64),
        relationship=relationship,
        team=team,
        manager_leniency=leniency,
        points=points,
    )
