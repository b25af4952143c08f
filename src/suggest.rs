//! "Did you mean …?" suggestions for misspelled keys, rule names and options.

/// The candidate closest to `word`, if it is close enough to be a likely typo.
///
/// Closeness scales with length: one edit for short words, up to a quarter of the length
/// for long ones, so `link` is not "corrected" to `lang` while `imag_feature` finds
/// `image_feature`.
pub fn did_you_mean<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let len = word.chars().count();
    let max_distance = (len / 4).max(1);
    candidates
        .into_iter()
        // The edit distance is at least the length difference: skip the hopeless cheaply.
        .filter(|c| *c != word && c.chars().count().abs_diff(len) <= max_distance)
        .map(|c| (strsim::osa_distance(word, c), c))
        .filter(|(d, _)| *d <= max_distance)
        .min_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn finds_close_keys_and_rejects_far_ones() {
        let known = ["layout", "lang", "image_feature", "title", "tags"];
        assert_eq!(did_you_mean("layput", known), Some("layout"));
        assert_eq!(did_you_mean("imag_feature", known), Some("image_feature"));
        assert_eq!(did_you_mean("tittle", known), Some("title"));
        assert_eq!(did_you_mean("link", known), None);
        assert_eq!(did_you_mean("wordpress_id", known), None);
        assert_eq!(did_you_mean("title", known), None);
    }
}
