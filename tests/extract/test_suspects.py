from pantau.extract.suspects import find_suspects


def test_initials_with_ages_and_cues_in_order_of_mention() -> None:
    found = find_suspects("Polisi menangkap tersangka berinisial RZ (27) dan rekannya AS alias Ucok (31) di rumah kos.")
    assert found.initials == ("RZ", "AS")
    assert found.count == 2


def test_dotted_initials_are_one_label() -> None:
    assert find_suspects("Pelaku berinisial M.A. diringkus tanpa perlawanan.").initials == ("MA",)


def test_stated_number_beats_the_initials_named() -> None:
    found = find_suspects("Empat orang tersangka diamankan, salah satunya pelaku DS (40).")
    assert found.initials == ("DS",)
    assert found.count == 4


def test_people_counted_only_when_arrested() -> None:
    assert find_suspects("Sebanyak 1.200 orang menghadiri apel kesiapan di lapangan.").count is None
    assert find_suspects("Tiga orang yang diduga kurir berhasil diringkus petugas.").count == 3


def test_acronyms_of_agencies_are_not_suspects() -> None:
    found = find_suspects("Petugas BNN dan TNI memeriksa gudang. Kapolres AKBP Dedi Kurnia memimpin operasi.")
    assert found.initials == ()
    assert found.count is None
