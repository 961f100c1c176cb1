import Blocks
import Foundation
import Diagnostics
import Expr

extension RecipeChecker {
  /// `objective`: policy-gradient slots or one structural rule, or exactly one preference
  /// loss, or a formula; the kinds never mix.
  mutating func checkObjective(_ entries: [YAMLNode.Entry]) {
    var byKind: [BlockKind: [YAMLNode]] = [:]
    var exprKey: YAMLNode?
    for entry in entries {
      guard let key = entry.key.scalar else {
        error(.wrongType, "keys in objective are words, found \(entry.key.summary)", at: entry.key)
        continue
      }
      if key == "expr", let param = SectionDecl.of(.objective).param("expr") {
        keys["objective.expr"] = entry.key
        if !entry.value.isNull { exprKey = entry.key }
        _ = typed(entry.value, param, path: "objective.expr")
        continue
      }
      guard let decl = resolveBlock(entry.key, in: .objective, extraKeys: ["expr"]) else { continue }
      keys[decl.path] = entry.key
      if entry.value.isNull { continue }
      byKind[decl.kind, default: []].append(entry.key)
      checkBlock(decl, key: entry.key, value: entry.value)
    }
    let preference = byKind[.preference] ?? [], structural = byKind[.structural] ?? [], slots = byKind[.slot] ?? []
    for extra in preference.dropFirst() { twoOfAKind(preference[0], extra, what: "preference loss") }
    for extra in structural.dropFirst() { twoOfAKind(structural[0], extra, what: "structural rule") }
    if let loss = preference.first {
      for key in structural + slots + (exprKey.map { [$0] } ?? []) {
        let (labels, notes) = related(loss, "preference loss '\(loss.scalar ?? "")' here", primary: key)
        report(.error, .mixedObjective, "'\(key.scalar ?? "")' is a policy-gradient term, but the objective is the preference loss '\(loss.scalar ?? "")'",
               at: key, notes: notes + ["a preference loss trains on pairs and takes no ratio, clipping, KL slot or advantage"],
               help: ["remove '\(key.scalar ?? "")', or write '\(key.scalar ?? ""): none' to drop an inherited slot"], secondary: labels)
      }
      return
    }
    let surrogate = slots.filter { ["clip", "cispo", "ratio"].contains($0.scalar ?? "") }
    if let rule = structural.first ?? exprKey {
      for key in surrogate {
        let what = rule == exprKey ? "the formula in 'objective.expr'" : "the structural rule '\(rule.scalar ?? "")'"
        let (labels, notes) = related(rule, "replaced here", primary: key)
        report(.error, .mixedObjective, "'\(key.scalar ?? "")' has no effect beside \(what), which replaces the clipped surrogate",
               at: key, notes: notes, help: ["remove '\(key.scalar ?? "")'"], secondary: labels)
      }
    }
    if let expr = exprKey, let rule = structural.first {
      let (labels, notes) = related(rule, "structural rule here", primary: expr)
      report(.error, .mixedObjective, "'objective.expr' and the structural rule '\(rule.scalar ?? "")' both define the loss", at: expr,
             notes: notes, help: ["keep one of them"], secondary: labels)
    }
    let clips = slots.filter { ["clip", "cispo"].contains($0.scalar ?? "") }
    if clips.count == 2 {
      let (labels, notes) = related(clips[0], "first clipping rule here", primary: clips[1])
      report(.error, .mixedObjective, "'clip' and 'cispo' are two clipping rules; the objective takes one", at: clips[1],
             notes: notes, help: ["keep one of them"], secondary: labels)
    }
  }

  private mutating func twoOfAKind(_ first: YAMLNode, _ extra: YAMLNode, what: String) {
    let (labels, notes) = related(first, "first \(what) here", primary: extra)
    report(.error, .multipleBlocks, "the objective takes one \(what), but names '\(first.scalar ?? "")' and '\(extra.scalar ?? "")'",
           at: extra, notes: notes, help: ["keep one of them"], secondary: labels)
  }

  /// Parses and type-checks an `expr:` value; columns point into the file when the scalar
  /// is on one line (plain, or quoted without escapes).
  mutating func checkExpression(_ node: YAMLNode, context: ExprContext, path: String) {
    guard let text = node.scalar else { return }
    let span = node.span
    let length = text.unicodeScalars.count
    let exact: Bool
    let offset: Int
    switch node.style {
    case .plain:
      exact = !span.isMultiline && span.endColumn - span.startColumn == length
      offset = 0
    case .singleQuoted, .doubleQuoted:
      exact = !span.isMultiline && span.endColumn - span.startColumn == length + 2
      offset = 1
    default:
      exact = false
      offset = 0
    }
    var source = ExprSource(text: text, span: span, isExact: exact, offset: offset)
    if !exact, let line = blockScalarLine(node) { source = line }
    let (expr, found) = ExprChecker.check(source, in: context)
    diagnostics += found
    if let expr { expressions[path] = expr }
  }

  /// A block scalar (`|` or `>`) whose formula is one line: that line's place in the file,
  /// so carets still land on the token.
  private func blockScalarLine(_ node: YAMLNode) -> ExprSource? {
    guard node.style == .literal || node.style == .folded, let text = node.scalar,
          case let formula = text.trimmingCharacters(in: .whitespacesAndNewlines), !formula.contains("\n"),
          let file = sources[node.span.file] else { return nil }
    for number in (node.span.startLine + 1)...max(node.span.startLine + 1, node.span.endLine) {
      guard let line = file.line(number) else { return nil }
      let indent = line.prefix { $0 == " " }.count
      guard line.dropFirst(indent).trimmingCharacters(in: .whitespaces) == formula else { continue }
      let span = SourceSpan(file: file.name, line: number, column: indent + 1, length: formula.unicodeScalars.count)
      return ExprSource(text: formula, span: span, isExact: true)
    }
    return nil
  }
}
