"""Meeting scheduling engine (plain Python, no Django): parse, solve, validate.

Public API: ``parse_instance``, ``solve``, ``validate_solution``, ``count_breaks``,
``baseline_first_free``, ``place_one``, ``solution_to_dict``.
"""

from qiao.scheduling.greedy import baseline_first_free, place_one
from qiao.scheduling.model import (
    Assignment,
    Instance,
    Interpreter,
    Meeting,
    Participant,
    ScheduleFormatError,
    Slot,
    Solution,
    Unscheduled,
    parse_instance,
    solution_from_dict,
    solution_to_dict,
)
from qiao.scheduling.solver import solve
from qiao.scheduling.validate import count_breaks, participant_breaks, validate_solution

__all__ = [
    "Assignment", "Instance", "Interpreter", "Meeting", "Participant", "ScheduleFormatError",
    "Slot", "Solution", "Unscheduled", "baseline_first_free", "count_breaks",
    "parse_instance", "participant_breaks", "place_one", "solution_from_dict",
    "solution_to_dict", "solve", "validate_solution",
]
