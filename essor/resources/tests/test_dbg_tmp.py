import pytest
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

def test_dbg(page, transactional_db, catalogue):
    errors = []
    page.on("console", lambda m: errors.append(m.type + ": " + m.text))
    page.on("pageerror", lambda e: errors.append("pageerror: " + str(e)))
    page.goto(page.base_url + "/fr/ressources/experiences/carte/")
    page.wait_for_timeout(2000)
    print(errors)
    print(page.locator("#experience-map").get_attribute("data-markers"))
