#!/usr/bin/env python3
"""Writes the broken-bundle corpus (Tests/Fixtures/broken-bundles/<case>/): each case is the
base bundle (_base/) with one kind of mistake, stored as the files that differ.  With
--expect, also records what `madoguchi forms lint --lang both` says of each case in
expected.txt (review every line before committing it: the test compares them exactly)."""
import os, shutil, subprocess, sys, tempfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
CORPUS = os.path.join(ROOT, "Tests", "Fixtures", "broken-bundles")
BASE = os.path.join(CORPUS, "_base")

# case name -> list of (file, old text, new text); the old text must occur in the base file.
CASES = {
    "unknown-question-type": [("flow.yaml", "type: boolean", "type: yesno")],
    "missing-answered-by": [("flow.yaml", "    type: boolean\n    answeredBy: resident\n", "    type: boolean\n")],
    "unknown-key": [("flow.yaml", "    unit: unit.people", "    unit: unit.people\n    optinal: true")],
    "unknown-reference": [("flow.yaml", 'when: "answers.hasChildren"', 'when: "answers.hasChildrem"')],
    "unclosed-list": [("flow.yaml", "applies: \"answers.insurance == 'kokuho' and computed.manyChildren\"",
                       "applies: \"answers.insurance in ['kokuho', 'shaho'\"")],
    "value-not-a-choice": [("flow.yaml", "answers.insurance == 'kokuho'", "answers.insurance == 'kokho'")],
    "type-mismatch": [("flow.yaml", 'manyChildren: "answers.childCount >= 3"', "manyChildren: \"answers.childCount >= 'three'\"")],
    "deadline-days-and-months": [("flow.yaml", "deadline: {days: 15, from:", "deadline: {days: 15, months: 1, from:")],
    "when-uses-later-question": [("flow.yaml", 'when: "answers.hasChildren"', 'when: "answers.insurance == \'kokuho\'"')],
    "when-through-computed-later": [("flow.yaml", 'when: "answers.hasChildren"', 'when: "computed.manyChildren"')],
    "computed-cycle": [("flow.yaml", 'manyChildren: "answers.childCount >= 3"',
                        'manyChildren: "computed.bigFamily"\n  bigFamily: "computed.manyChildren or answers.childCount >= 5"')],
    "condition-never-true": [("flow.yaml", 'when: "answers.hasChildren"', 'when: "answers.hasChildren and 15 < 12"')],
    "number-outside-range": [("flow.yaml", 'manyChildren: "answers.childCount >= 3"', 'manyChildren: "answers.childCount >= 12"')],
    "missing-document": [("flow.yaml", "documents: [jidou-teate]", "documents: [jidou-teate, jidou-teatte]")],
    "duplicate-question-id": [("flow.yaml", "  - id: insurance\n", "  - id: childCount\n")],
    "yaml-syntax": [("flow.yaml", "    text: q.childCount.text\n", "    text: q.childCount.text\n   when: broken\n")],
    "id-not-folder-name": [("flow.yaml", "id: minimal", "id: minimum")],
    "identity-without-card": [("flow.yaml", "identity: required", "identity: none")],
    "when-uses-own-answer": [("flow.yaml", 'when: "answers.hasChildren"', 'when: "answers.childCount > 0"')],
    "string-missing-in-ja": [("strings/ja.yaml", "  counter.hoken: 保険年金課 3番窓口\n", "")],
    "string-missing-in-en": [("strings/en.yaml", "  counter.hoken: Insurance and Pensions, counter 3\n", "")],
    "english-same-as-japanese": [("strings/en.yaml", "counter.kodomo: Children and Families, counter 4", "counter.kodomo: こども家庭課 4番窓口")],
    "easy-japanese-kanji-without-ruby": [("strings/ja-easy.yaml", 'q.childCount.text: "{子|こ}どもは {何人|なんにん}ですか。"', 'q.childCount.text: "{子|こ}どもは 何人ですか。"')],
    "ruby-without-bar": [("strings/ja.yaml", "q.childCount.text: お子さんは何人ですか?", "q.childCount.text: \"{お子|おこ}さんは{何人なんにん}ですか?\"")],
    "ruby-reading-in-romaji": [("strings/ja-easy.yaml", "{何人|なんにん}", "{何人|nannin}")],
    "unused-string": [("strings/ja.yaml", "  doc.label.name: 請求者の氏名\n", "  doc.label.name: 請求者の氏名\n  doc.label.address: 住所\n")],
    "document-binding-typo": [("documents/jidou-teate.yaml", "bind: identity.name", "bind: identity.nmae")],
    "document-format-mismatch": [("documents/jidou-teate.yaml", "bind: answers.childCount, format: number", "bind: answers.childCount, format: warekiDate")],
    "boolean-written-yes": [("flow.yaml", "    unit: unit.people", "    unit: unit.people\n    optional: yes")],
}


def materialize(case, target):
    shutil.copytree(BASE, target)
    for name, old, new in CASES[case]:
        path = os.path.join(target, name)
        text = open(path, encoding="utf-8").read()
        if old not in text:
            sys.exit(f"{case}: '{old}' is not in {name}")
        open(path, "w", encoding="utf-8").write(text.replace(old, new, 1))


def main():
    expect = "--expect" in sys.argv
    tool = os.path.join(ROOT, ".build", "debug", "madoguchi-forms")
    for case in sorted(CASES):
        folder = os.path.join(CORPUS, case)
        with tempfile.TemporaryDirectory() as scratch:
            bundle = os.path.join(scratch, "minimal")
            materialize(case, bundle)
            shutil.rmtree(folder, ignore_errors=True)
            os.makedirs(folder)
            for name, _, _ in CASES[case]:
                os.makedirs(os.path.dirname(os.path.join(folder, name)) or folder, exist_ok=True)
                shutil.copyfile(os.path.join(bundle, name), os.path.join(folder, name))
            if expect:
                result = subprocess.run([tool, "lint", "--lang", "both", bundle], capture_output=True, text=True)
                lines = [line.replace(bundle, "Forms/minimal") for line in result.stdout.splitlines()
                         if not line.startswith("フォーム ")]
                open(os.path.join(folder, "expected.txt"), "w", encoding="utf-8").write("\n".join(lines) + "\n")
                print(f"--- {case} (exit {result.returncode})")
                print("\n".join(lines))


main()
