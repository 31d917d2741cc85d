import pytest

from qiao.core.langdetect import detect_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我公司在山东省拥有三百余家医院客户，希望代理欧洲的分子诊断试剂", "zh"),
        ("寻求欧洲体外诊断产品代理权", "zh"),
        ("济南华康 sucht PCR-Kits: 我们需要欧洲合作伙伴进行分子诊断", "zh"),
        ("Vertriebspartner für PCR-Schnelltests in China gesucht", "de"),
        ("Wir suchen einen Händler mit Zugang zu Kliniklaboren in Shandong.", "de"),
        (
            "Die Firma entwickelt Sensoren für die Halbleiterindustrie und sucht einen "
            "Partner in China, der die Produkte vertreibt.",
            "de",
        ),
        ("Größere Stückzahlen möglich", "de"),
        ("We are looking for a distributor with access to hospital labs in Shandong.", "en"),
        (
            "The company develops sensors for the semiconductor industry and is seeking "
            "a partner in Germany for joint research.",
            "en",
        ),
        ("Joint venture for the production of medical devices", "en"),
        ("日本の企業はドイツのパートナーを探しています", "ja"),
        ("한국 기업이 독일 파트너를 찾고 있습니다", "ko"),
    ],
)
def test_detects_language(text, expected):
    assert detect_language(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "   ",
        "12345 - 678",
        "PCR Kit 3000",
        "Nous cherchons un partenaire pour la distribution de nos produits en Chine et "
        "nous proposons une coopération technique dans le domaine médical pour nos clients.",
    ],
)
def test_unsure_gives_none(text):
    assert detect_language(text) is None


def test_mixed_german_english_without_clear_winner_is_none():
    assert detect_language("the und") is None


def test_chinese_name_in_english_text_stays_english():
    text = "We are looking for partners such as 济南华康 for the distribution of our devices."
    assert detect_language(text) == "en"
