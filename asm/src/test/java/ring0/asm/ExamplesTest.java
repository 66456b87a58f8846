package ring0.asm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import ring0.abi.Service;
import ring0.isa.Decoded;
import ring0.isa.Decoder;
import ring0.verify.TypesSection;

/** The shipped examples assemble, with the expected imports, entry and data. */
class ExamplesTest {

    private static Program assemble(String name) throws IOException, AsmException {
        Path p = Path.of("..", "examples", name);
        return Assembler.assemble(Files.readString(p), name);
    }

    /** The strict decoder accepts the whole text, instruction by instruction; returns the count. */
    private static int decodeAll(Program p) throws Exception {
        int n = 0;
        int at = 0;
        for (; at < p.text().length; n++) {
            Decoded d = Decoder.decode(p.text(), at, p.text().length);
            at += d.length();
        }
        assertThat(at).isEqualTo(p.text().length);
        return n;
    }

    @Test
    void everyExampleIsTypedWithEveryLabelInItsTypesSection() throws Exception {
        List<Path> files;
        try (Stream<Path> list = Files.list(Path.of("..", "examples"))) {
            files = list.filter(f -> f.toString().endsWith(".tal")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(2);
        for (Path f : files) {
            Program p = assemble(f.getFileName().toString());
            assertThat(p.typed()).as(f.toString()).isTrue();
            TypesSection ts = TypesSection.read(p.types());
            assertThat(ts.labels()).extracting(TypesSection.LabelDecl::name).as(f.toString())
                    .containsExactlyElementsOf(p.symbols().stream()
                            .filter(s -> s.section() == Program.Section.TEXT && !s.name().equals("__stop"))
                            .map(Program.Symbol::name).toList());
        }
    }

    @Test
    void hello() throws Exception {
        Program p = assemble("hello.tal");
        assertThat(p.imports()).containsExactly(Service.STOP, Service.WRITE);
        assertThat(p.entryOffset()).isEqualTo(Asm.symbol(p, "main").imageOffset());
        Program.Symbol msg = Asm.symbol(p, "msg");
        int at = msg.imageOffset() - p.dataOffset();
        assertThat(p.data()[at]).isEqualTo((byte) 13);
        assertThat(new String(Arrays.copyOfRange(p.data(), at + 8, at + 8 + 13), StandardCharsets.US_ASCII))
                .isEqualTo("hello, world\n");
        assertThat(decodeAll(p)).isPositive();
    }

    @Test
    void cat() throws Exception {
        Program p = assemble("cat.tal");
        assertThat(p.imports()).containsExactly(Service.STOP, Service.READ, Service.WRITE, Service.OPEN, Service.CLOSE);
        assertThat(p.symbols()).extracting(Program.Symbol::name)
                .contains("main", "copy", "complain", "copy.shift", "buf");
        Program.Symbol buf = Asm.symbol(p, "buf");
        assertThat(buf.size()).isEqualTo(8 + 65536);
        assertThat((buf.imageOffset() - p.dataOffset()) % 8).isZero();
        assertThat(decodeAll(p)).isGreaterThan(90);
        assertThat(p.annotations()).allMatch(a -> a.file().equals("cat.tal"));
    }
}
