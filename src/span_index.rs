//! Which of many spans overlap a given one, each question a binary search: the spans sorted by
//! start, with the furthest end reached so far. Boilerplate findings against a post's text
//! blocks, suppressions' lines against findings' lines: a scraped post can hold thousands of
//! each, where testing every pair was quadratic.

use crate::diagnostic::Span;

pub(crate) struct SpanIndex {
    starts: Vec<usize>,
    furthest_end: Vec<usize>,
}

impl SpanIndex {
    pub(crate) fn new(spans: impl IntoIterator<Item = Span>) -> Self {
        let mut spans: Vec<Span> = spans.into_iter().collect();
        spans.sort_unstable_by_key(|s| s.start);
        let starts = spans.iter().map(|s| s.start).collect();
        let furthest_end = (spans.iter())
            .scan(0, |furthest, s| {
                *furthest = s.end.max(*furthest);
                Some(*furthest)
            })
            .collect();
        SpanIndex {
            starts,
            furthest_end,
        }
    }

    /// Whether some span shares a position with `span` (starts before its end, ends after its
    /// start).
    pub(crate) fn overlaps(&self, span: &Span) -> bool {
        let before_end = self.starts.partition_point(|&start| start < span.end);
        before_end > 0 && self.furthest_end[before_end - 1] > span.start
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlap_agrees_with_comparing_every_pair() {
        let mut rng = crate::test_rng::Xorshift::new(0x5eed);
        for _ in 0..200 {
            let mut random_span = |width: usize| {
                let start = rng.below(100);
                start..start + rng.below(width)
            };
            let spans: Vec<Span> = (0..rng_count(&mut random_span))
                .map(|_| random_span(30))
                .collect();
            let index = SpanIndex::new(spans.iter().cloned());
            for start in 0..110 {
                for end in start..start + 12 {
                    let block = start..end;
                    let pairwise =
                        (spans.iter()).any(|p| p.start < block.end && block.start < p.end);
                    assert_eq!(index.overlaps(&block), pairwise, "{spans:?} {block:?}");
                }
            }
        }
    }

    /// 0 to 7 spans, from the same generator.
    fn rng_count(random_span: &mut impl FnMut(usize) -> Span) -> usize {
        random_span(8).len()
    }
}
