//! Character classes and small text helpers shared by the splitter and tagger.

/// Characters that end a sentence (a paragraph may end after them).
pub fn is_sentence_final(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '!' | '?' | '…' | '；' | ';' | '.')
}

/// Closing quotes and brackets that may follow sentence-final punctuation.
pub fn is_closer(c: char) -> bool {
    matches!(c, '”' | '’' | '」' | '』' | '》' | '）' | ')' | '"' | '\'' | '】')
}

/// Whether a line ends a sentence: final punctuation, possibly followed by
/// closing quotes or brackets (`……。”`, `说。）`).
pub fn ends_sentence(line: &str) -> bool {
    let mut chars = line.trim_end().chars().rev().peekable();
    while let Some(&c) = chars.peek() {
        if is_closer(c) {
            chars.next();
        } else {
            break;
        }
    }
    chars.next().is_some_and(is_sentence_final)
}

/// CJK ideograph (the basic and extension-A blocks and compatibility ideographs).
pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{f900}'..='\u{faff}')
}

/// White space including the ideographic space U+3000 and no-break spaces.
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{3000}' || c == '\u{a0}'
}

/// Trims all kinds of white space.
pub fn trim(s: &str) -> &str {
    s.trim_matches(is_space)
}

/// Removes white space that sits between two non-ASCII characters (the
/// padding of `郑  斐` and the gap of a two-line headline printed on one
/// line), keeps one space between ASCII words.
pub fn close_gaps(s: &str) -> String {
    let chars: Vec<char> = trim(s).chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if is_space(c) {
            let start = i;
            while i < chars.len() && is_space(chars[i]) {
                i += 1;
            }
            let before = chars[start - 1];
            let after = chars.get(i).copied().unwrap_or(' ');
            if before.is_ascii_alphanumeric() && after.is_ascii_alphanumeric() {
                out.push(' ');
            }
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

/// Collapses runs of white space into one ASCII space.
pub fn squeeze_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_space = false;
    for c in trim(s).chars() {
        if is_space(c) {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
    out
}

/// Number of characters.
pub fn char_len(s: &str) -> usize {
    s.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentence_ends_see_through_closing_quotes() {
        assert!(ends_sentence("他说。"));
        assert!(ends_sentence("“好得很!”"));
        assert!(ends_sentence("……。”"));
        assert!(!ends_sentence("大多与居"));
        assert!(!ends_sentence("具体建议,"));
        assert!(!ends_sentence("“三权分置”"));
    }

    #[test]
    fn gaps_between_chinese_characters_close() {
        assert_eq!(close_gaps("郑  斐"), "郑斐");
        assert_eq!(close_gaps("十五届闻喜县委开展 第九轮巡察动员"), "十五届闻喜县委开展第九轮巡察动员");
        assert_eq!(close_gaps("AI 短视频 Deep Seek"), "AI短视频Deep Seek");
    }
}
