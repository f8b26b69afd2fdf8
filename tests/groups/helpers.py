"""Read an admin form back out of its HTML, the way a browser would submit it."""

from html.parser import HTMLParser

SKIPPED_INPUTS = {"submit", "button", "file", "image", "reset"}


class FormReader(HTMLParser):
    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.data: dict[str, list[str]] = {}
        self.textarea: str | None = None
        self.select: str | None = None
        self.select_first: str | None = None
        self.select_chosen = False
        self.option: dict | None = None

    def add(self, name: str, value: str) -> None:
        if "__prefix__" not in name:
            self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag: str, attrs) -> None:
        attrs = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "name" not in attrs and tag != "option":
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in SKIPPED_INPUTS:
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.add(attrs["name"], attrs.get("value", "on"))
                return
            self.add(attrs["name"], attrs.get("value", ""))
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self.add(self.textarea, "")
        elif tag == "select":
            self.select, self.select_first, self.select_chosen = attrs["name"], None, False
        elif tag == "option" and self.select:
            value = attrs.get("value", "")
            if self.select_first is None:
                self.select_first = value
            if "selected" in attrs:
                self.add(self.select, value)
                self.select_chosen = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select" and self.select:
            if not self.select_chosen and self.select_first is not None:
                self.add(self.select, self.select_first)
            self.select = None

    def handle_data(self, data: str) -> None:
        if self.textarea:
            values = self.data[self.textarea]
            # Browsers drop the newline right after <textarea>.
            values[-1] += data.removeprefix("\n") if not values[-1] else data


def admin_form_data(response, form_id: str) -> dict[str, str | list[str]]:
    reader = FormReader(form_id)
    reader.feed(response.content.decode())
    return {name: values[0] if len(values) == 1 else values for name, values in reader.data.items()}
