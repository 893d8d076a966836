import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_chinese_by_default_even_for_an_english_browser(client, world):
    client.force_login(world.alice)
    response = client.get(reverse("units:tree"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "zh-hans"
    assert "按单位名称或编码搜索" in response.content.decode()


def test_english_once_the_user_chooses_it(client, world):
    client.force_login(world.alice)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("units:tree"))
    assert response["Content-Language"] == "en"
    body = response.content.decode()
    assert "Search by unit name or code" in body, "run `make messages` to compile the catalogue"
    assert 'lang="en"' in body


def test_unknown_language_cookie_falls_back_to_chinese(client, world, settings):
    client.force_login(world.alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert client.get(reverse("home"))["Content-Language"] == "zh-hans"


def test_login_page_is_chinese(client):
    body = client.get(reverse("login")).content.decode()
    assert "用户名" in body and "密码" in body
