//! Tokenizer for RFC 1035 master files: splits zone text into entries of tokens, each with its line and column.
//!
//! RFC 1035 section 5.1 rules implemented here: an entry ends at a line break unless parentheses
//! are open; `;` starts a comment up to the end of the line; blanks (spaces and tabs) separate
//! items; a `"` starts a quoted string that may contain blanks, `;`, parentheses and line breaks;
//! `\X` and `\DDD` escapes keep a character's special meaning from applying. Escapes are *not*
//! decoded here: tokens keep their raw text, because whether `\.` is a dot inside a label or a
//! label separator depends on what the token is (a name or a character string), which only the
//! record parser knows.
//!
//! Whether an entry starts with a blank matters (it means "same owner as the previous record"),
//! so [`Entry::starts_with_blank`] records it.

use super::ZoneError;

/// One token: a word or a quoted string, with its raw text (escapes not decoded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token<'a> {
    /// The raw text. For quoted strings, the text between the quotes.
    pub raw: &'a str,
    /// True for a `"quoted string"`.
    pub quoted: bool,
    /// 1-based line of the token's first character (the opening quote for quoted strings).
    pub line: usize,
    /// 1-based column of the token's first character.
    pub column: usize,
}

impl Token<'_> {
    /// The column of the first character of [`Token::raw`] (one right of an opening quote).
    pub fn raw_column(&self) -> usize {
        if self.quoted {
            self.column + 1
        } else {
            self.column
        }
    }
}

/// One entry (a directive or a record), possibly spanning lines inside parentheses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry<'a> {
    /// The tokens, never empty.
    pub tokens: Vec<Token<'a>>,
    /// True when the entry's first line starts with a blank: the owner is omitted.
    pub starts_with_blank: bool,
}

/// The result of tokenizing a whole zone text.
#[derive(Debug, Default)]
pub(crate) struct Lexed<'a> {
    /// Entries in order.
    pub entries: Vec<Entry<'a>>,
    /// Tokenizer errors (unbalanced parentheses, unterminated quotes).
    pub errors: Vec<ZoneError>,
}

/// Walks the text character by character, keeping line and column.
struct Cursor<'a> {
    text: &'a str,
    /// Byte offset of the next character.
    offset: usize,
    line: usize,
    column: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<char> {
        self.text
            .get(self.offset..)
            .and_then(|rest| rest.chars().next())
    }

    fn bump(&mut self) -> Option<char> {
        let character = self.peek()?;
        self.offset += character.len_utf8();
        if character == '\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
        Some(character)
    }

    fn slice(&self, start: usize, end: usize) -> &'a str {
        self.text.get(start..end).unwrap_or("")
    }
}

/// True for the characters that end an unquoted word.
fn ends_word(character: char) -> bool {
    matches!(character, ' ' | '\t' | '\r' | '\n' | ';' | '(' | ')')
}

/// Splits zone text into entries. Never fails: problems are collected in [`Lexed::errors`].
pub(crate) fn lex(text: &str) -> Lexed<'_> {
    let mut cursor = Cursor {
        text,
        offset: 0,
        line: 1,
        column: 1,
    };
    let mut entries: Vec<Entry<'_>> = Vec::new();
    let mut errors: Vec<ZoneError> = Vec::new();
    let mut tokens: Vec<Token<'_>> = Vec::new();
    let mut starts_with_blank = false;
    // True at the start of a physical line that may begin a new entry.
    let mut at_entry_line_start = true;
    let mut parenthesis_depth = 0usize;
    let mut first_open_parenthesis = (0usize, 0usize);

    while let Some(character) = cursor.peek() {
        if at_entry_line_start && parenthesis_depth == 0 && tokens.is_empty() {
            starts_with_blank = character == ' ' || character == '\t';
            at_entry_line_start = false;
        }
        match character {
            ' ' | '\t' | '\r' => {
                cursor.bump();
            }
            '\n' => {
                cursor.bump();
                if parenthesis_depth == 0 {
                    finish_entry(&mut entries, &mut tokens, starts_with_blank);
                    at_entry_line_start = true;
                }
            }
            ';' => {
                while let Some(next) = cursor.peek() {
                    if next == '\n' {
                        break;
                    }
                    cursor.bump();
                }
            }
            '(' => {
                if parenthesis_depth == 0 {
                    first_open_parenthesis = (cursor.line, cursor.column);
                }
                parenthesis_depth += 1;
                cursor.bump();
            }
            ')' => {
                if parenthesis_depth == 0 {
                    errors.push(ZoneError::new(
                        cursor.line,
                        cursor.column,
                        "this closing parenthesis has no opening parenthesis before it",
                    ));
                } else {
                    parenthesis_depth -= 1;
                }
                cursor.bump();
            }
            '"' => {
                let (line, column) = (cursor.line, cursor.column);
                cursor.bump();
                let start = cursor.offset;
                if !skip_to_closing_quote(&mut cursor) {
                    errors.push(ZoneError::new(
                        line,
                        column,
                        "this quoted text is never closed: a \" is missing at its end",
                    ));
                    // Everything after an unclosed quote belongs to it; nothing more can be read.
                    tokens.clear();
                    break;
                }
                let end = cursor.offset.saturating_sub(1);
                tokens.push(Token {
                    raw: cursor.slice(start, end),
                    quoted: true,
                    line,
                    column,
                });
            }
            _ => {
                let (line, column) = (cursor.line, cursor.column);
                let start = cursor.offset;
                let mut closed = true;
                while let Some(next) = cursor.peek() {
                    if ends_word(next) {
                        break;
                    }
                    cursor.bump();
                    if next == '\\' {
                        // The escaped character never ends the word.
                        cursor.bump();
                    } else if next == '"' {
                        // A quote inside a word (SVCB's `alpn="h2,h3"`) runs to its closing quote.
                        if !skip_to_closing_quote(&mut cursor) {
                            closed = false;
                            break;
                        }
                    }
                }
                if !closed {
                    errors.push(ZoneError::new(
                        line,
                        column,
                        "this word contains a quote that is never closed",
                    ));
                    tokens.clear();
                    break;
                }
                tokens.push(Token {
                    raw: cursor.slice(start, cursor.offset),
                    quoted: false,
                    line,
                    column,
                });
            }
        }
    }
    if parenthesis_depth > 0 {
        errors.push(ZoneError::new(
            first_open_parenthesis.0,
            first_open_parenthesis.1,
            "this parenthesis is never closed: a ) is missing before the end of the text",
        ));
    }
    finish_entry(&mut entries, &mut tokens, starts_with_blank);
    Lexed { entries, errors }
}

/// Closes the current entry, dropping it when it has no tokens (blank or comment-only lines).
fn finish_entry<'a>(
    entries: &mut Vec<Entry<'a>>,
    tokens: &mut Vec<Token<'a>>,
    starts_with_blank: bool,
) {
    if !tokens.is_empty() {
        entries.push(Entry {
            tokens: std::mem::take(tokens),
            starts_with_blank,
        });
    }
}

/// Consumes characters up to and including the closing quote; false when the text ends first.
fn skip_to_closing_quote(cursor: &mut Cursor<'_>) -> bool {
    while let Some(next) = cursor.bump() {
        match next {
            '\\' => {
                cursor.bump();
            }
            '"' => return true,
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raws<'a>(entry: &Entry<'a>) -> Vec<&'a str> {
        entry.tokens.iter().map(|token| token.raw).collect()
    }

    #[test]
    fn splits_entries_at_line_breaks_and_records_positions() {
        let lexed = lex("www IN A 192.0.2.1\n  IN AAAA ::1 ; comment\n");
        assert!(lexed.errors.is_empty());
        assert_eq!(lexed.entries.len(), 2);
        assert_eq!(raws(&lexed.entries[0]), ["www", "IN", "A", "192.0.2.1"]);
        assert!(!lexed.entries[0].starts_with_blank);
        assert_eq!(raws(&lexed.entries[1]), ["IN", "AAAA", "::1"]);
        assert!(lexed.entries[1].starts_with_blank);
        let aaaa = lexed.entries[1].tokens[1];
        assert_eq!((aaaa.line, aaaa.column), (2, 6));
    }

    #[test]
    fn parentheses_join_lines_and_comments_inside_them_are_skipped() {
        let lexed = lex("@ SOA ns hm ( 1 ; serial\n 2 3\n 4 5 )\nnext A 1.2.3.4");
        assert!(lexed.errors.is_empty());
        assert_eq!(lexed.entries.len(), 2);
        assert_eq!(
            raws(&lexed.entries[0]),
            ["@", "SOA", "ns", "hm", "1", "2", "3", "4", "5"]
        );
        let five = lexed.entries[0].tokens[8];
        assert_eq!((five.line, five.column), (3, 4));
    }

    #[test]
    fn quoted_strings_keep_blanks_semicolons_escapes_and_line_breaks() {
        let lexed = lex("t TXT \"a b;c\\\"d\" \"two\nlines\"");
        assert!(lexed.errors.is_empty());
        let tokens = &lexed.entries[0].tokens;
        assert_eq!(tokens[2].raw, "a b;c\\\"d");
        assert!(tokens[2].quoted);
        assert_eq!(tokens[2].raw_column(), 8);
        assert_eq!(tokens[3].raw, "two\nlines");
    }

    #[test]
    fn escaped_blanks_and_quotes_inside_words_stay_in_the_word() {
        let lexed = lex("a\\ b.example. SVCB 1 . alpn=\"h2,h3 x\" port=443");
        assert!(lexed.errors.is_empty());
        assert_eq!(
            raws(&lexed.entries[0]),
            [
                "a\\ b.example.",
                "SVCB",
                "1",
                ".",
                "alpn=\"h2,h3 x\"",
                "port=443"
            ]
        );
    }

    #[test]
    fn reports_unbalanced_parentheses_and_unclosed_quotes_with_positions() {
        let lexed = lex("a A 1.2.3.4 )\nb TXT ( \"x\"\n");
        let found: Vec<(usize, usize)> = lexed
            .errors
            .iter()
            .map(|error| (error.line, error.column))
            .collect();
        assert_eq!(found, [(1, 13), (2, 7)]);

        let unclosed = lex("ok A 1.2.3.4\nt TXT \"never closed\nmore");
        assert_eq!(unclosed.errors.len(), 1);
        assert_eq!((unclosed.errors[0].line, unclosed.errors[0].column), (2, 7));
        assert_eq!(unclosed.entries.len(), 1);
    }

    #[test]
    fn blank_and_comment_lines_make_no_entries() {
        let lexed = lex("\n   \n; only a comment\n\t\n");
        assert!(lexed.entries.is_empty());
        assert!(lexed.errors.is_empty());
    }
}
