//! Byte spans into a document's text: the only position type of the analysis core.

use serde::Serialize;

/// A half-open byte range `start..end` into a document's UTF-8 text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// The span of 0-based `line` of `text`, without its line break (`text.len()` when the
    /// text has fewer lines).
    pub fn of_line(text: &str, line: usize) -> Span {
        let start: usize = text
            .split_inclusive('\n')
            .take(line)
            .map(str::len)
            .sum::<usize>()
            .min(text.len());
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        Span::new(start, end)
    }

    pub const fn len(self) -> usize {
        self.end - self.start
    }

    pub const fn is_empty(self) -> bool {
        self.start == self.end
    }

    pub fn contains(self, offset: usize) -> bool {
        self.start <= offset && offset < self.end
    }

    /// Whether `other` lies entirely inside `self`.
    pub fn covers(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// Shifts a span found in a slice that starts at `base` into document coordinates.
    pub const fn offset(self, base: usize) -> Span {
        Span::new(self.start + base, self.end + base)
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start..self.end
    }
}

impl From<std::ops::Range<usize>> for Span {
    fn from(r: std::ops::Range<usize>) -> Span {
        Span::new(r.start, r.end)
    }
}

#[cfg(test)]
mod tests {
    use super::Span;

    #[test]
    fn a_line_is_its_text_without_the_line_break() {
        let text = "one\ntwo\n\nfour";
        let line = |n| {
            let s = Span::of_line(text, n);
            &text[s.start..s.end]
        };
        assert_eq!(
            (line(0), line(1), line(2), line(3)),
            ("one", "two", "", "four")
        );
        assert_eq!(Span::of_line(text, 9), Span::new(text.len(), text.len()));
    }
}
