"""Models of China's generative-AI self-assessment: profiles, clauses, samples, statements, the report."""
