from documents.http import PDF, download


def test_a_download_names_its_file():
    response = download(b"%PDF-1.4", PDF, "statusnotat-2021-08-15.pdf")
    assert response["Content-Type"] == PDF
    assert response["Content-Disposition"] == 'attachment; filename="statusnotat-2021-08-15.pdf"'
    assert response.content == b"%PDF-1.4"


def test_a_danish_file_name_is_encoded_not_mangled():
    response = download(b"x", PDF, "Økonomiudvalget.pdf")
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%C3%98konomiudvalget.pdf"
    )
