"""Content-language names shown to readers, in their UI language."""

from django.utils import translation

from qiao.core.choices import content_language_name


def test_language_names_follow_the_readers_language():
    with translation.override("de"):
        assert [content_language_name(c) for c in ("zh", "de", "ko")] == [
            "Chinesisch", "Deutsch", "Koreanisch"]
    with translation.override("zh-hans"):
        # iso-codes says 朝鲜语; business Chinese says 韩语
        assert [content_language_name(c) for c in ("zh", "de", "ko")] == ["中文", "德语", "韩语"]
    assert content_language_name("xx") == "xx"
    assert content_language_name("") == ""
