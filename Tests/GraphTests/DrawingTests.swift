import Core
import Graph
import Testing

@Suite struct DrawingTests {
  func ratioGraph() throws -> Graph {
    let builder = GraphBuilder()
    let logp = builder.input("logp", [2]), oldLogp = builder.input("old_logp", [2])
    let ratio = exp(logp - oldLogp).named("ratio")
    return try builder.build(outputs: [ratio * 0.5])
  }

  @Test("dot: inputs as parallelograms, outputs bold, scalars folded into their reader")
  func dot() throws {
    #expect(try ratioGraph().drawing(.dot) == """
      digraph program {
        rankdir=TB;
        node [shape=box, fontname="Helvetica", fontsize=10];
        v0 [label="%0 logp\\nf32[2]", shape=parallelogram];
        v1 [label="%1 old_logp\\nf32[2]", shape=parallelogram];
        v2 [label="%2 sub\\nf32[2]"];
        v3 [label="%3 exp\\nf32[2]\\nratio"];
        v5 [label="%5 mul · 0.5\\nf32[2]", style=bold];
        v0 -> v2;
        v1 -> v2;
        v2 -> v3;
        v3 -> v5;
      }
      """)
  }

  @Test("mermaid: the same graph as a flowchart, with angle brackets escaped")
  func mermaid() throws {
    #expect(try ratioGraph().drawing(.mermaid) == """
      flowchart TD
        v0[/"%0 logp<br/>f32[2]"/]
        v1[/"%1 old_logp<br/>f32[2]"/]
        v2["%2 sub<br/>f32[2]"]
        v3["%3 exp<br/>f32[2]<br/>ratio"]
        v5(["%5 mul · 0.5<br/>f32[2]"])
        v0 --> v2
        v1 --> v2
        v2 --> v3
        v3 --> v5
      """)
  }
}
