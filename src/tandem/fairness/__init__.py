"""People analytics on a cycle's ratings: each rater's leniency (rater effects), protected
attributes that only people-analytics HR may read, and fairness figures per group."""
