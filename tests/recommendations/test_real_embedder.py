"""One end-to-end check with the real default model: German offer ↔ Chinese request."""

from __future__ import annotations

import pytest
from factories import OrganizationFactory, PublishedProfileFactory

from qiao.recommendations import services
from qiao.recommendations.engine import current_engine
from qiao.recommendations.presentation import reason_sentence
from recommendations.helpers import DX_REQUEST, dresden_dx, jinan_distributor

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_real_model_puts_the_chinese_distributor_first(settings):
    settings.QIAO_EMBEDDER = ""  # the engine's default model, loaded from its wheel
    assert not current_engine().embedder.name.startswith("test/")
    dx = dresden_dx()
    cn = jinan_distributor()
    for name, direction, title, text, lang, coop in (
        ("Jinan Dongfang Werkzeugmaschinen", "request", "寻求数控机床技术合作",
         "我们是一家机床制造企业，希望与德国企业在数控系统方面开展技术合作。", "zh",
         ["licensing"]),
        ("Shandong Kulturzentrum", "request", "寻求欧洲室内乐团来华巡演",
         "我们的音乐厅希望邀请欧洲室内乐团参加明年的音乐节。", "zh", ["services"]),
        ("Sachsen Solar GmbH", "offer", "Photovoltaik-Module für Großanlagen",
         "Wir liefern Solarmodule und suchen Projektentwickler.", "de", ["supply"]),
    ):
        org = OrganizationFactory(name=name, country="CN" if lang == "zh" else "DE")
        PublishedProfileFactory(organization=org, direction=direction, title=title, text=text,
                                language=lang, cooperation=coop, topic="business")
    assert services.refresh_stale_embeddings() == 5

    result = services.recommendations_for(dx, limit=3)
    assert result.items[0].organization == cn
    best = result.items[0].reasons[0].reason
    assert best.theirs_title == DX_REQUEST[0]
    assert "寻求欧洲体外诊断产品代理权" in reason_sentence(best, "de")
    assert services.recommendations_for(cn, limit=3).items[0].organization == dx
