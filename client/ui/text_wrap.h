// Soft wrapping for multi-line fields (docs/app.md, "Multi-line fields"). ImGui 1.86's
// InputTextMultiline does not wrap, so the field edits a copy of the text with a line break
// inserted wherever a line is full: a "soft" break, remembered by its position. The stored text
// never carries them: strip() takes them out, and after every edit the text is wrapped again.
// Pure functions (no ImGui): the advance of each character is passed in.
#pragma once
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace liaison::ui::wrap {

using Advance = std::function<float(char32_t)>;

struct Wrapped {
    std::string text;          // the plain text with a '\n' inserted at each soft break
    std::vector<size_t> soft;  // byte offsets of those '\n's in `text`, ascending
};

// Lines no wider than `width`: a line breaks after a space, between two CJK characters (not
// before closing punctuation such as ，。 nor after opening punctuation such as （), and inside a word only when the
// word is wider than the line. The text's own line breaks stay as they are.
Wrapped wrap(const std::string& plain, float width, const Advance& advance);

// `text` without the soft breaks at `soft`.
std::string strip(const std::string& text, const std::vector<size_t>& soft);

// An edit turned `before` (soft breaks at `soft`) into `after`, the caret now at byte
// `cursor` of `after`: the plain text and the caret's byte offset in it. Deleting a soft break
// alone (backspace at the start of a wrapped line) deletes the character before it, as the
// person sees it.
struct Edit {
    std::string plain;
    size_t cursor = 0;
};
Edit after_edit(const std::string& before, const std::vector<size_t>& soft, const std::string& after, size_t cursor);

// The byte offset in `w.text` of byte offset `plain_pos` of the plain text (after any soft
// break at the same place: the caret starts the next line).
size_t to_wrapped(const Wrapped& w, size_t plain_pos);

}  // namespace liaison::ui::wrap
