import CYAML
import Diagnostics

/// Reads YAML text into `YAMLNode`s from libyaml's parser events, keeping every key's and
/// value's start and end. The only file that touches libyaml.
///
/// Handled deliberately rather than silently: anchors and aliases, tags and merge keys
/// (errors: recipes share values with `extends`), duplicate keys (reported at the
/// duplicate), tabs in indentation, more than one document, and nesting deeper than
/// `maximumDepth`.
enum YAMLReader {
  static let maximumDepth = 64

  /// The document's root node (nil when the text holds no document) and the findings.
  static func read(_ file: SourceFile, columnOffset: Int = 0) -> (root: YAMLNode?, diagnostics: [Diagnostic]) {
    var parser = yaml_parser_t()
    guard yaml_parser_initialize(&parser) == 1 else {
      return (nil, [Diagnostic(.bug, .internalError, "libyaml could not start a parser (please report)", at: .start(of: file.name))])
    }
    defer { yaml_parser_delete(&parser) }
    let bytes = Array(file.text.utf8)
    return bytes.withUnsafeBufferPointer { buffer in
      yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
      yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
      var builder = TreeBuilder(file: file, columnOffset: columnOffset)
      while true {
        var event = yaml_event_t()
        guard yaml_parser_parse(&parser, &event) == 1 else {
          builder.diagnostics.append(syntaxError(parser, file: file, columnOffset: columnOffset))
          return (nil, builder.diagnostics)
        }
        defer { yaml_event_delete(&event) }
        if event.type == YAML_STREAM_END_EVENT { break }
        guard builder.handle(event) else { return (nil, builder.diagnostics) }
      }
      return (builder.root, builder.diagnostics)
    }
  }

  private static func syntaxError(_ parser: yaml_parser_t, file: SourceFile, columnOffset: Int) -> Diagnostic {
    let problem = parser.problem.map { String(cString: $0) } ?? "invalid YAML"
    var mark = span(parser.problem_mark, parser.problem_mark, file: file.name, columnOffset: columnOffset)
    if file.line(mark.startLine) == nil || (mark.startLine > file.lineCount && file.lineCount > 0) {
      // NOTE: libyaml reports end-of-stream problems on the line after the last one; show the last line's end.
      let last = max(file.lineCount, 1)
      let column = (file.line(last)?.unicodeScalars.count ?? 0) + 1
      mark = SourceSpan(file: file.name, line: last, column: max(column, columnOffset + 1))
    }
    let line = file.line(mark.startLine).map(Array.init) ?? []
    let column = mark.startColumn - 1 - columnOffset
    if column >= 0, column < line.count, line[..<(column + 1)].contains("\t"), line[..<column].allSatisfy({ $0 == " " || $0 == "\t" }) {
      let tab = line.firstIndex(of: "\t") ?? column
      return Diagnostic(.error, .yamlTab, "tab character in indentation; YAML indents with spaces only",
                        at: SourceSpan(file: file.name, line: mark.startLine, column: tab + 1 + columnOffset),
                        help: ["replace the tab with spaces"])
    }
    var secondary: [Diagnostic.Label] = []
    var message = "invalid YAML: \(problem)"
    if let context = parser.context.map({ String(cString: $0) }) {
      message += " \(context)"
      let start = span(parser.context_mark, parser.context_mark, file: file.name, columnOffset: columnOffset)
      if start != mark {
        if problem.contains("end of stream") {
          // The user needs the start of what was never closed; the end of the file is secondary.
          secondary.append(.init(span: mark, message: "the file ends here"))
          mark = start
        } else {
          secondary.append(.init(span: start, message: "the construct starts here"))
        }
      }
    }
    var help: [String] = []
    if problem.hasPrefix("mapping values are not allowed"), let text = file.line(mark.startLine),
       text.drop(while: { $0 == " " || $0 == "-" }).hasPrefix("expr:") {
      // NOTE: `over: axis` inside an unquoted formula reads as a nested mapping in YAML.
      help.append("quote the formula: expr: \"...\" (a plain YAML value cannot contain ': ')")
    } else if problem.hasPrefix("mapping values are not allowed") {
      help.append("a value containing ': ' must be quoted")
    }
    return Diagnostic(.error, .yamlSyntax, message, at: mark, secondary: secondary, help: help)
  }

  /// A span from libyaml's 0-based marks (columns count characters, as ours do).
  fileprivate static func span(_ start: yaml_mark_t, _ end: yaml_mark_t, file: String, columnOffset: Int) -> SourceSpan {
    let endLine = Int(end.line) + 1, startLine = Int(start.line) + 1
    var endColumn = Int(end.column) + 1 + columnOffset
    if endLine == startLine, endColumn <= Int(start.column) + 1 + columnOffset { endColumn = Int(start.column) + 2 + columnOffset }
    return SourceSpan(file: file, startLine: startLine, startColumn: Int(start.column) + 1 + columnOffset,
                      endLine: endLine, endColumn: endColumn)
  }
}

/// Builds the node tree from events, one container per open mapping or sequence.
private struct TreeBuilder {
  /// An open mapping or sequence. A class, so appending to the innermost one never copies
  /// its entries (a value type here made wide mappings quadratic).
  final class Frame {
    let isMapping: Bool
    let start: yaml_mark_t
    var entries: [YAMLNode.Entry] = []
    var items: [YAMLNode] = []
    var pendingKey: YAMLNode?
    /// Each key's text → its entry, so duplicates are found in constant time.
    var seen: [String: Int] = [:]

    init(isMapping: Bool, start: yaml_mark_t) {
      self.isMapping = isMapping
      self.start = start
    }
  }

  let file: SourceFile
  let columnOffset: Int
  var stack: [Frame] = []
  var root: YAMLNode?
  var documents = 0
  var diagnostics: [Diagnostic] = []

  init(file: SourceFile, columnOffset: Int) {
    self.file = file
    self.columnOffset = columnOffset
  }

  /// Takes one event; `false` stops reading (a fatal finding).
  mutating func handle(_ event: yaml_event_t) -> Bool {
    let here = YAMLReader.span(event.start_mark, event.end_mark, file: file.name, columnOffset: columnOffset)
    switch event.type {
    case YAML_DOCUMENT_START_EVENT:
      documents += 1
      if documents > 1 {
        diagnostics.append(Diagnostic(.error, .multipleDocuments, "a recipe is one YAML document; this starts a second one", at: here,
                                      help: ["remove the '---' line, or split the file"]))
        return false
      }
    case YAML_ALIAS_EVENT:
      diagnostics.append(Diagnostic(.error, .yamlAnchor, "aliases are not supported in recipes", at: here,
                                    help: ["write the value out, or share values with 'extends'"]))
      return false
    case YAML_SCALAR_EVENT:
      let data = event.data.scalar
      if !checkDecorations(anchor: data.anchor, tag: data.tag, implicit: data.plain_implicit == 1 || data.quoted_implicit == 1, at: here) { return false }
      let text = data.value.map { String(decoding: UnsafeBufferPointer(start: $0, count: data.length), as: UTF8.self) } ?? ""
      let style: YAMLNode.ScalarStyle = switch data.style {
      case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
      case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
      case YAML_LITERAL_SCALAR_STYLE: .literal
      case YAML_FOLDED_SCALAR_STYLE: .folded
      default: .plain
      }
      return add(YAMLNode(.scalar(text, style), span: here))
    case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
      let isMapping = event.type == YAML_MAPPING_START_EVENT
      let anchor = isMapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor
      let tag = isMapping ? event.data.mapping_start.tag : event.data.sequence_start.tag
      let implicit = (isMapping ? event.data.mapping_start.implicit : event.data.sequence_start.implicit) == 1
      if !checkDecorations(anchor: anchor, tag: tag, implicit: implicit, at: here) { return false }
      guard stack.count < YAMLReader.maximumDepth else {
        diagnostics.append(Diagnostic(.error, .tooDeep, "the recipe nests more than \(YAMLReader.maximumDepth) levels deep", at: here))
        return false
      }
      stack.append(Frame(isMapping: isMapping, start: event.start_mark))
    case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
      guard let top = stack.popLast() else { return true }
      let span = YAMLReader.span(top.start, event.end_mark, file: file.name, columnOffset: columnOffset)
      return add(YAMLNode(top.isMapping ? .mapping(top.entries) : .sequence(top.items), span: span))
    default:
      break
    }
    return true
  }

  private mutating func checkDecorations(anchor: UnsafeMutablePointer<yaml_char_t>?, tag: UnsafeMutablePointer<yaml_char_t>?,
                                         implicit: Bool, at span: SourceSpan) -> Bool {
    if let anchor {
      let name = String(cString: anchor)
      diagnostics.append(Diagnostic(.error, .yamlAnchor, "anchor '&\(name)' is not supported in recipes", at: span,
                                    help: ["write the value out, or share values with 'extends'"]))
      return false
    }
    if let tag, !implicit {
      let name = String(cString: tag).replacingPrefix("tag:yaml.org,2002:", with: "!!")
      diagnostics.append(Diagnostic(.error, .yamlTag, "tag '\(name)' is not supported in recipes", at: span,
                                    help: ["remove the tag; quote the value to make it a string"]))
      return false
    }
    return true
  }

  /// Adds a finished node to the open container (or makes it the root).
  private mutating func add(_ node: YAMLNode) -> Bool {
    guard let top = stack.last else {
      root = node
      return true
    }
    guard top.isMapping else {
      top.items.append(node)
      return true
    }
    guard let key = top.pendingKey else {
      if node.scalar == "<<", node.style == .plain {
        diagnostics.append(Diagnostic(.error, .yamlMergeKey, "merge keys ('<<') are not supported in recipes", at: node.span,
                                      help: ["share values with 'extends'"]))
        return false
      }
      top.pendingKey = node
      return true
    }
    top.pendingKey = nil
    if let text = key.scalar, let index = top.seen[text] {
      diagnostics.append(Diagnostic(.error, .duplicateKey, "duplicate key '\(text)'", at: key.span,
                                    secondary: [.init(span: top.entries[index].key.span, message: "first defined here")],
                                    help: ["remove one of them; YAML keeps only one value per key"]))
    } else {
      if let text = key.scalar { top.seen[text] = top.entries.count }
      top.entries.append(YAMLNode.Entry(key: key, value: node))
    }
    return true
  }
}

extension String {
  fileprivate func replacingPrefix(_ prefix: String, with replacement: String) -> String {
    hasPrefix(prefix) ? replacement + dropFirst(prefix.count) : self
  }
}
