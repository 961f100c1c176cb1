import Diagnostics
import Foundation

/// Why a file could not become a `SourceFile`, with a lossy copy to quote when there is one.
struct SourceProblem: Error {
  var diagnostic: Diagnostic
  var lossy: SourceFile?

  init(_ diagnostic: Diagnostic, lossy: SourceFile? = nil) {
    self.diagnostic = diagnostic
    self.lossy = lossy
  }
}

/// Reads a recipe file's bytes and decodes them, turning every way a file can be unusable
/// into a diagnostic with a location: unreadable (`unreadable-file`, exit 2), too large,
/// binary, or not UTF-8.
enum SourceReader {
  /// Larger files are refused: no recipe is this big, and it bounds the work on any input.
  static let maximumBytes = 4 << 20

  /// The file at `path`, shown in diagnostics as `name`.
  static func read(path: String, name: String) -> Result<SourceFile, SourceProblem> {
    let bytes: [UInt8]
    do {
      let url = URL(fileURLWithPath: path)
      let values = try? url.resourceValues(forKeys: [.fileSizeKey, .isDirectoryKey])
      if values?.isDirectory == true {
        return .failure(SourceProblem(Diagnostic(.error, .unreadableFile, "cannot read \(name): it is a directory", at: nil)))
      }
      if let size = values?.fileSize, size > maximumBytes {
        return .failure(SourceProblem(tooLarge(name, size)))
      }
      bytes = Array(try Data(contentsOf: url))
    } catch {
      return .failure(SourceProblem(Diagnostic(.error, .unreadableFile, "cannot read \(name): \(reason(error))", at: nil)))
    }
    return decode(bytes, name: name)
  }

  /// Decodes `bytes` as the text of a recipe named `name`.
  static func decode(_ bytes: [UInt8], name: String) -> Result<SourceFile, SourceProblem> {
    // A UTF-8 byte-order mark is not content: drop it so columns on line 1 count from the first key.
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return decode(Array(bytes.dropFirst(3)), name: name) }
    if bytes.count > maximumBytes { return .failure(SourceProblem(tooLarge(name, bytes.count))) }
    if let nul = bytes.firstIndex(of: 0) {
      return .failure(SourceProblem(Diagnostic(.error, .binaryFile, "\(name) is not a text file (it contains a NUL byte)",
                                               at: position(of: nul, in: bytes, file: name)), lossy: lossy(bytes, name)))
    }
    guard let text = String(validating: bytes, as: UTF8.self) else {
      let bad = firstInvalidUTF8(bytes)
      return .failure(SourceProblem(
        Diagnostic(.error, .notUTF8, "\(name) is not valid UTF-8 (byte 0x\(String(bytes[bad], radix: 16, uppercase: true)))",
                   at: position(of: bad, in: bytes, file: name), help: ["save the file as UTF-8"]), lossy: lossy(bytes, name)))
    }
    return .success(SourceFile(name: name, text: text))
  }

  /// The text with undecodable bytes as U+FFFD and NUL as U+2400, so the line can be quoted.
  private static func lossy(_ bytes: [UInt8], _ name: String) -> SourceFile {
    let text = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\u{0}", with: "\u{2400}")
    return SourceFile(name: name, text: text)
  }

  private static func tooLarge(_ name: String, _ size: Int) -> Diagnostic {
    Diagnostic(.error, .fileTooLarge, "\(name) is \(size) bytes; recipes are limited to \(maximumBytes) bytes", at: .start(of: name))
  }

  /// The line and column (in characters) of byte `offset`, decoding what precedes it leniently.
  private static func position(of offset: Int, in bytes: [UInt8], file: String) -> SourceSpan {
    let before = bytes[..<offset]
    let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
    let line = before.reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
    let column = String(decoding: bytes[lineStart..<offset], as: UTF8.self).unicodeScalars.count + 1
    return SourceSpan(file: file, line: line, column: column)
  }

  private static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int {
    var i = 0
    while i < bytes.count {
      let b = bytes[i]
      let length = b < 0x80 ? 1 : b >> 5 == 0b110 ? 2 : b >> 4 == 0b1110 ? 3 : b >> 3 == 0b11110 ? 4 : 0
      guard length > 0, i + length <= bytes.count,
            bytes[(i + 1)..<(i + length)].allSatisfy({ $0 >> 6 == 0b10 }),
            String(validating: bytes[i..<(i + length)], as: UTF8.self) != nil else { return i }
      i += length
    }
    return max(0, bytes.count - 1)
  }

  /// "no such file" instead of Foundation's `Error Domain=NSCocoaErrorDomain Code=260 …`.
  private static func reason(_ error: Error) -> String {
    let nsError = error as NSError
    switch (nsError.domain, nsError.code) {
    case (NSCocoaErrorDomain, NSFileReadNoSuchFileError), (NSCocoaErrorDomain, NSFileNoSuchFileError): return "no such file"
    case (NSCocoaErrorDomain, NSFileReadNoPermissionError): return "permission denied"
    default:
      if let posix = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, posix.domain == NSPOSIXErrorDomain {
        return String(cString: strerror(Int32(posix.code))).lowercased()
      }
      return "read failed"
    }
  }
}
