package ring0.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ring0.elf.ElfReader;

/** {@code ring0 disasm}: listings, labels, rejected bytes and malformed files. */
class DisasmCommandTest {

    static final String LOOP = """
            untyped
            import write, exit
            section .text
            main:
                xor eax, eax
                mov ecx, 10
            .loop:
                add rax, [rbx + rcx*8 + 16]
                dec ecx
                jnz .loop
                call helper
                lea rsi, [rel table + 8]
                call [rel exit]
                ret
            helper:
                nop
                ret
            section .data
            table: zwords 4
            """;

    @TempDir
    Path dir;

    @Test
    void listsTextWithLabelsBytesAndNamedTargets() throws Exception {
        Path exe = assemble("loop", LOOP);
        Cli.Result r = Cli.run("disasm", exe.toString());

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        String out = r.out();
        assertThat(out).contains(exe + ": ring0 executable, entry main at 0x");
        assertThat(out).containsPattern("imports: (stop, )?write, exit\\n");
        assertThat(out).containsPattern("\\n0{10}401[0-9a-f]{3} <main>:\\n");
        assertThat(out).containsPattern("\\n[0-9a-f]{16} <main\\.loop>:\\n");
        assertThat(out).containsPattern("\\n[0-9a-f]{16} <helper>:\\n");
        // An instruction line: address, bytes, instruction text.
        assertThat(out).containsPattern("\\n  401[0-9a-f]{3}:  31 c0 +xor eax, eax\\n");
        assertThat(out).containsPattern("add rax, \\[rbx\\+rcx\\*8\\+0x10\\]\\n");
        // Branch and call targets and RIP-relative references are named.
        assertThat(out).containsPattern("jnz? .*; <main\\.loop>\\n|jne .*; <main\\.loop>\\n");
        assertThat(out).containsPattern("call .*; <helper>\\n");
        assertThat(out).containsPattern("lea rsi, .*; <table\\+0x8>\\n");
        assertThat(out).containsPattern("call .*; <exit@slot>\\n");
        assertThat(out).as("the stack-limit polls name the limit word").containsPattern("cmp rsp, .*; <__limit>\\n");
    }

    @Test
    void listsTheEntryStubSeparatelyAsUntrusted() throws Exception {
        Path exe = assemble("loop", LOOP);
        String out = Cli.run("disasm", exe.toString()).out();
        int text = out.indexOf("Disassembly of section .text");
        int stub = out.indexOf("Disassembly of section .ring0.stub");
        assertThat(text).isNotNegative();
        assertThat(stub).isGreaterThan(text);
        String stubPart = out.substring(stub);
        assertThat(stubPart).contains("UNTRUSTED", "<_start>:", "(bad: ");
        assertThat(stubPart).containsPattern("call .*; <main>\\n");
        assertThat(stubPart.split(">:\n", -1).length - 1).as("symbols of the stub are shown").isGreaterThan(2);

        Cli.Result noStub = Cli.run("disasm", "--no-stub", exe.toString());
        assertThat(noStub.status()).isZero();
        assertThat(noStub.out()).doesNotContain(".ring0.stub", "(bad: ");
    }

    @Test
    void undecodableTextIsShownAndRejected() throws Exception {
        Path exe = assemble("sys", """
                untyped
                section .text
                main:
                    nop
                    nop
                    nop
                    xor eax, eax
                    ret
                """);
        byte[] elf = Files.readAllBytes(exe);
        var image = ElfReader.read(elf);
        int nops = indexOf(image.text(), new byte[] {(byte) 0x90, (byte) 0x90, (byte) 0x90, 0x31, (byte) 0xc0});
        assertThat(nops).as("the three nops").isNotNegative();
        int at = Math.toIntExact(image.textFileOffset()) + nops;
        elf[at] = 0x0f; // syscall
        elf[at + 1] = 0x05;
        elf[at + 2] = (byte) 0xf4; // hlt
        Files.write(exe, elf);
        String addr = Long.toHexString(image.textVaddr() + nops);
        String next = Long.toHexString(image.textVaddr() + nops + 3);

        Cli.Result r = Cli.run("disasm", "--no-stub", exe.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).containsPattern(addr + ":  0f 05 +\\(bad: [^)]*syscall[^)]*\\)\\n");
        assertThat(r.out()).containsPattern("\\n *[0-9a-f]+:  f4 +\\(bad: [^)]*hlt[^)]*\\)\\n");
        // Listing goes on after the bad bytes.
        assertThat(r.out()).containsPattern(next + ":  31 c0 +xor eax, eax\\n");
        assertThat(r.err()).contains("2 undecodable instructions").hasLineCount(1);
    }

    @Test
    void malformedFilesAreRejectedWithTheReadersMessage() throws Exception {
        byte[] good = Files.readAllBytes(assemble("loop", LOOP));
        Random random = new Random(42);
        byte[] noise = new byte[4096];
        random.nextBytes(noise);
        byte[][] bad = {
            new byte[0],
            "section .text\nmain: ret\n".getBytes(),
            noise,
            Arrays.copyOf(good, 100),
            Arrays.copyOf(good, good.length / 2),
        };
        for (byte[] b : bad) {
            Path f = Files.write(dir.resolve("bad"), b);
            Cli.Result r = Cli.run("disasm", f.toString());
            assertThat(r.status()).as("%d bytes: %s", b.length, r.err()).isEqualTo(1);
            assertThat(r.err()).startsWith("ring0 disasm: " + f + ": not a valid ring0 executable: ").hasLineCount(1);
            assertThat(r.out()).isEmpty();
        }
    }

    @Test
    void mutatedFilesNeverCrashTheListing() throws Exception {
        byte[] good = Files.readAllBytes(assemble("loop", LOOP));
        Random random = new Random(7);
        Path f = dir.resolve("mutant");
        int accepted = 0;
        for (int i = 0; i < 200; i++) {
            byte[] m = good.clone();
            for (int k = 0, n = 1 + random.nextInt(4); k < n; k++) m[random.nextInt(m.length)] = (byte) random.nextInt(256);
            Files.write(f, m);
            Cli.Result r = Cli.run("disasm", f.toString());
            assertThat(r.status()).as(r.err()).isIn(0, 1);
            assertThat(r.noStackTrace()).as(r.err()).isTrue();
            if (r.status() == 0) accepted++;
        }
        assertThat(accepted).as("some mutants only touch bytes the reader does not check").isPositive();
    }

    @Test
    void missingFileAndDirectoryAreIoErrors() {
        Cli.Result missing = Cli.run("disasm", dir.resolve("none").toString());
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err()).isEqualTo("ring0 disasm: cannot read '" + dir.resolve("none") + "': no such file\n");

        Cli.Result directory = Cli.run("disasm", dir.toString());
        assertThat(directory.status()).isEqualTo(2);
        assertThat(directory.err()).contains("is a directory").hasLineCount(1);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }

    private Path assemble(String name, String source) throws Exception {
        Path src = Files.writeString(dir.resolve(name + ".tal"), source);
        Path exe = dir.resolve(name);
        Cli.Result r = Cli.run("as", src.toString(), "-o", exe.toString());
        assertThat(r.status()).as(r.err()).isZero();
        return exe;
    }
}
