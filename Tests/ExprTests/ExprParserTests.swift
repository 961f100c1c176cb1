import Diagnostics
import Expr
import Testing

@Suite struct ExprParserTests {
  @Test("the DESIGN.md formulas parse and check", arguments: [
    ("(reward - mean(reward, over: group)) / (std(reward, over: group) + 1e-6)", ExprContext.advantage),
    ("-min(ratio * adv, clip(ratio, 1 - 0.2, 1 + 0.28) * adv)", .objective),
    ("where(adv < 0, max(-min(ratio * adv, clip(ratio, 0.8, 1.2) * adv), -3 * adv), -min(ratio * adv, clip(ratio, 0.8, 1.2) * adv))", .objective),
    ("exp(ref_logp - logp) - (ref_logp - logp) - 1", .objective),
    ("-sg(clip(ratio, 0, 1.28)) * adv * logp", .objective),
    ("reward - sum(reward, over: group) / group_size", .advantage),
    ("-0.5 * len / max_tokens", .reward),
    ("mean(logp - old_logp, over: step)", .objective),
  ])
  func valid(text: String, context: ExprContext) {
    let (expr, diagnostics) = ExprChecker.check(ExprSource(text: text), in: context)
    #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
    #expect(expr != nil)
  }

  @Test("precedence: * binds tighter than -, unary minus tighter than *")
  func precedence() throws {
    let node = try ExprParser.parse(ExprSource(text: "a - b * -c")).get()
    guard case .binary(.subtract, _, let rhs) = node.kind, case .binary(.multiply, _, let c) = rhs.kind,
          case .unary(.negate, _) = c.kind else {
      Issue.record("wrong tree: \(node)")
      return
    }
    #expect(rhs.range == 4..<10)
  }

  @Test("reductions remove their axis; broadcasting unions axes")
  func axes() throws {
    let (expr, _) = ExprChecker.check(ExprSource(text: "logp - mean(reward, over: group)"), in: .objective)
    #expect(try #require(expr).type == ExprType.number(.batch, .group, .token))
    let (mean, _) = ExprChecker.check(ExprSource(text: "mean(reward, over: group)"), in: .advantage)
    #expect(try #require(mean).type == ExprType.number(.batch))
    #expect(mean?.inputs == ["reward"])
  }

  @Test("errors point at the exact column with a stable code", arguments: [
    ("reward - mean(reward, over: token)", DiagnosticCode.axisMismatch, 29, 34),
    ("rewrd + 1", .unknownName, 1, 6),
    ("meen(reward, over: group)", .unknownFunction, 1, 5),
    ("mean(reward, over: grop)", .unknownAxis, 20, 24),
    ("mean(reward)", .missingAxis, 1, 13),
    ("clip(reward, 1)", .wrongArity, 1, 16),
    ("mean(reward, axis: group)", .unknownArgument, 14, 18),
    ("where(reward, 1, 0)", .exprType, 7, 13),
    ("reward > 1", .exprType, 1, 11),
    ("reward +", .exprSyntax, 9, 10),
    ("(reward", .exprSyntax, 8, 9),
    ("reward ^ 2", .exprSyntax, 8, 9),
    ("reward ** 2", .exprSyntax, 8, 10),
    ("", .exprSyntax, 1, 2),
    ("1.2.3", .exprSyntax, 1, 6),
  ])
  func errors(text: String, code: DiagnosticCode, start: Int, end: Int) throws {
    let (expr, diagnostics) = ExprChecker.check(ExprSource(text: text), in: .advantage)
    #expect(expr == nil)
    let first = try #require(diagnostics.first)
    #expect(first.code == code, "\(first.message)")
    #expect(first.span?.startColumn == start)
    #expect(first.span?.endColumn == end)
  }

  @Test("a near miss gets a did-you-mean")
  func suggestion() {
    let (_, diagnostics) = ExprChecker.check(ExprSource(text: "mean(reward, over: grup)"), in: .advantage)
    #expect(diagnostics.first?.message == "unknown axis 'grup'; did you mean 'group'?")
    #expect(diagnostics.first?.suggestion == "group")
  }

  @Test("deep nesting is an error, not a stack overflow")
  func deep() {
    let text = String(repeating: "(", count: 1000) + "reward" + String(repeating: ")", count: 1000)
    let (_, diagnostics) = ExprChecker.check(ExprSource(text: text), in: .advantage)
    #expect(diagnostics.first?.code == .exprSyntax)
  }

  @Test("a quoted expression maps columns past the quote")
  func offset() {
    let span = SourceSpan(file: "r.yaml", line: 4, column: 9, length: 10)
    let source = ExprSource(text: "rewrd + 1", span: span, isExact: true, offset: 1)
    let (_, diagnostics) = ExprChecker.check(source, in: .advantage)
    #expect(diagnostics.first?.span == SourceSpan(file: "r.yaml", line: 4, column: 10, length: 5))
  }
}
