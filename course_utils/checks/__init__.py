"""Exercise checks, one module per lesson: ``from course_utils.checks import lesson01``."""
