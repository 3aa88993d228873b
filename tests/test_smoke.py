def test_login_and_list(client, world):
    case_id = world.case(world.pro_noord, name="Bakker")
    resp = client.login("pro.noord@test.example")
    assert resp.status_code == 302
    page = client.get("/cases").get_data(as_text=True)
    assert "Bakker" in page
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "We willen rust in huis." in page
