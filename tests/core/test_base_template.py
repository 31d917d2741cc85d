"""The base template loads only the tag libraries it uses (libraries do not pass to children)."""

import re
from pathlib import Path

from django.templatetags import tz

BASE = Path(__file__).resolve().parents[2] / "src" / "qiao" / "templates" / "base.html"


def test_base_template_loads_tz_only_when_it_uses_it():
    source = BASE.read_text()
    loaded = {name for line in re.findall(r"{%\s*load\s+([^%]+)%}", source)
              for name in line.split()}
    names = set(tz.register.tags) | set(tz.register.filters)
    used = {name for name in names if re.search(rf"({{%\s*|\|){name}\b", source)}
    assert ("tz" in loaded) == bool(used), used
