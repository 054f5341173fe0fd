from dataclasses import dataclass, field

from tenants.models import Board


@dataclass
class RegionGroup:
    name: str
    boards: list[Board] = field(default_factory=list)


def board_directory() -> list[RegionGroup]:
    """Every board, grouped by region (one query); boards without a region come last."""
    groups: dict[str, RegionGroup] = {}
    for board in (
        Board.objects.boards().select_related("region").prefetch_related("domains").order_by("region__name", "name")
    ):
        name = board.region.name if board.region else "Other boards"
        groups.setdefault(name, RegionGroup(name)).boards.append(board)
    return sorted(groups.values(), key=lambda group: (group.name == "Other boards", group.name))
