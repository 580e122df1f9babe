"""A strict reader of the Prometheus text exposition format (version 0.0.4), for the
tests of GET /metrics: it refuses anything a Prometheus server would refuse, and the
looser things it would accept but we promise not to write (docs/metrics.md):

* metric and label names, label value escaping (only \\\\, \\" and \\n), sample values;
* `# HELP` and `# TYPE` at most once per family, both before the family's samples;
* a family's samples together, each series once;
* counters end in `_total`; a summary has only quantile samples, `_sum` and `_count`;
* every name starts with `eventrunner_`, and times are in seconds.
"""

import math
import re

METRIC_NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
LABEL_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
TYPES = {"counter", "gauge", "summary", "histogram", "untyped"}
ESCAPES = {"\\": "\\", '"': '"', "n": "\n"}


class FormatError(AssertionError):
    pass


def parse_value(text, where):
    if text in ("+Inf", "Inf"):
        return math.inf
    if text == "-Inf":
        return -math.inf
    if text == "NaN":
        return math.nan
    if not re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?", text):
        raise FormatError("%s: bad sample value %r" % (where, text))
    return float(text)


def parse_labels(text, pos, where):
    """Reads `{a="x",b="y"}` from text[pos]; returns (labels dict, position after)."""
    labels = {}
    pos += 1
    while True:
        if text[pos:pos + 1] == "}":
            return labels, pos + 1
        match = LABEL_NAME.match(text, pos)
        if not match:
            raise FormatError("%s: bad label name at column %d" % (where, pos + 1))
        name = match.group(0)
        if name.startswith("__"):
            raise FormatError("%s: reserved label name %r" % (where, name))
        pos = match.end()
        if text[pos:pos + 2] != '="':
            raise FormatError("%s: expected =\" after label %r" % (where, name))
        pos += 2
        value = []
        while True:
            if pos >= len(text):
                raise FormatError("%s: unterminated label value" % where)
            c = text[pos]
            if c == "\\":
                escaped = text[pos + 1:pos + 2]
                if escaped not in ESCAPES:
                    raise FormatError("%s: bad escape \\%s in a label value" % (where, escaped))
                value.append(ESCAPES[escaped])
                pos += 2
            elif c == '"':
                pos += 1
                break
            elif c == "\n":
                raise FormatError("%s: raw newline in a label value" % where)
            else:
                value.append(c)
                pos += 1
        if name in labels:
            raise FormatError("%s: label %r twice" % (where, name))
        labels[name] = "".join(value)
        if text[pos:pos + 1] == ",":
            pos += 1
        elif text[pos:pos + 1] != "}":
            raise FormatError("%s: expected , or } after a label" % where)


def parse_sample(line, where):
    match = METRIC_NAME.match(line)
    if not match:
        raise FormatError("%s: bad metric name in %r" % (where, line))
    name, pos, labels = match.group(0), match.end(), {}
    if line[pos:pos + 1] == "{":
        labels, pos = parse_labels(line, pos, where)
    rest = line[pos:]
    if not rest.startswith(" "):
        raise FormatError("%s: expected a space before the value in %r" % (where, line))
    parts = rest.strip().split(" ")
    if len(parts) not in (1, 2):
        raise FormatError("%s: expected a value and an optional timestamp in %r" % (where, line))
    value = parse_value(parts[0], where)
    if len(parts) == 2 and not re.fullmatch(r"-?\d+", parts[1]):
        raise FormatError("%s: bad timestamp %r" % (where, parts[1]))
    return name, labels, value


def family_of(sample_name, families):
    for suffix in ("_sum", "_count", "_bucket"):
        base = sample_name[:-len(suffix)] if sample_name.endswith(suffix) else None
        if base and base in families and families[base]["type"] in ("summary", "histogram"):
            return base
    return sample_name


def check_sample(family, name, labels, value, where):
    kind = family["type"]
    if kind == "counter" and (value < 0 or math.isnan(value)):
        raise FormatError("%s: counter %s is %r" % (where, name, value))
    if kind == "summary" and name == family["name"]:
        quantile = labels.get("quantile")
        if quantile is None or not 0 <= float(quantile) <= 1:
            raise FormatError("%s: summary sample without a quantile in [0, 1]" % where)
    if kind in ("counter", "gauge") and name != family["name"]:
        raise FormatError("%s: sample %s in family %s" % (where, name, family["name"]))


def parse(text, prefix="eventrunner_"):
    """Checks `text`; returns {family name: {"type", "help", "samples": [(name, labels, value)]}}."""
    if not text.endswith("\n"):
        raise FormatError("the text must end with a newline")
    families, finished, current = {}, set(), None

    def family(name, where):
        nonlocal current
        if name != current:
            if name in finished:
                raise FormatError("%s: family %s resumed after another family" % (where, name))
            if current is not None:
                finished.add(current)
            current = name
        return families.setdefault(name, {"name": name, "type": None, "help": None, "samples": [], "series": set()})

    for number, line in enumerate(text[:-1].split("\n"), 1):
        where = "line %d" % number
        if line == "":
            raise FormatError("%s: empty line" % where)
        if line.startswith("# HELP ") or line.startswith("# TYPE "):
            keyword, name, *rest = line[2:].split(" ", 2)
            if not METRIC_NAME.fullmatch(name):
                raise FormatError("%s: bad metric name %r" % (where, name))
            f = family(name, where)
            if f["samples"]:
                raise FormatError("%s: %s after the samples of %s" % (where, keyword, name))
            if keyword == "HELP":
                if f["help"] is not None:
                    raise FormatError("%s: second HELP for %s" % (where, name))
                f["help"] = rest[0] if rest else ""
                if re.search(r"\\[^\\n]", f["help"]):
                    raise FormatError("%s: bad escape in HELP of %s" % (where, name))
            else:
                if f["type"] is not None:
                    raise FormatError("%s: second TYPE for %s" % (where, name))
                if not rest or rest[0] not in TYPES:
                    raise FormatError("%s: bad TYPE line %r" % (where, line))
                f["type"] = rest[0]
            continue
        if line.startswith("#"):
            continue
        name, labels, value = parse_sample(line, where)
        base = family_of(name, families)
        f = family(base, where)
        if f["type"] is None or f["help"] is None:
            raise FormatError("%s: sample of %s before its HELP and TYPE" % (where, base))
        check_sample(f, name, labels, value, where)
        series = (name, tuple(sorted(labels.items())))
        if series in f["series"]:
            raise FormatError("%s: series %s%r twice" % (where, name, labels))
        f["series"].add(series)
        f["samples"].append((name, labels, value))

    for name, f in families.items():
        if f["type"] is None or f["help"] is None:
            raise FormatError("family %s lacks its HELP or TYPE" % name)
        if not name.startswith(prefix):
            raise FormatError("family %s lacks the prefix %s" % (name, prefix))
        if f["type"] == "counter" and not name.endswith("_total"):
            raise FormatError("counter %s does not end in _total" % name)
        if f["type"] != "counter" and name.endswith("_total"):
            raise FormatError("%s ends in _total but is a %s" % (name, f["type"]))
        if re.search(r"_(ms|milliseconds|us|microseconds|minutes|hours)(_|$)", name):
            raise FormatError("%s: times are in seconds" % name)
    return families
