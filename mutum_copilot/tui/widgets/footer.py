"""Textual's footer, without the memory it keeps of every key it ever showed.

Textual's ``Footer`` rebuilds its ``FooterKey`` children whenever the focused
widget's bindings change, and each new key ``data_bind``-s ``compact`` to the
footer. The footer keeps every such (key, setter) watcher until ``compact``
itself changes, which never happens here, so over a shift the main screen's
footer held every key it had ever drawn: about 2 MB per call
(``bench/memory.py``; Textual 8.2). This subclass drops the watchers of
removed keys after each rebuild, as Textual does itself on a change.

It also draws its keys when it is mounted into a screen already shown (the
main screen mounts it after its first frame): Textual's footer waits for the
screen's next change of bindings, which may be the agent's first key.
"""

from __future__ import annotations

from textual.widgets import Footer as TextualFooter


class Footer(TextualFooter):
    """``textual.widgets.Footer`` that forgets the keys it removed."""

    def on_mount(self) -> None:
        # Textual's own on_mount (subscribing to later changes) runs after this one.
        self.bindings_changed(self.screen)

    async def recompose(self) -> None:
        await super().recompose()
        self.forget_removed_keys()

    def forget_removed_keys(self) -> None:
        watchers: dict[str, list[tuple[object, object]]] = getattr(self, "__watchers", {})
        for entries in watchers.values():
            entries[:] = [
                (node, callback)
                for node, callback in entries
                if not getattr(node, "_closing", False) and not getattr(node, "_closed", False)
            ]
