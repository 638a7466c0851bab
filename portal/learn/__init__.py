"""Learn: financial self-reliance — the self-check (toetsingskader) and the modules with lessons and quizzes."""
