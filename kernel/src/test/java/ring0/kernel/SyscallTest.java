package ring0.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The services, called from raw programs in kernel mode, including the
 * run-time checks that do not trust types: pointers outside the process's
 * own read-write memory, lying length words, counts past the buffer.
 * {@link Programs#callWith} returns {@code -rax & 0xff}, so {@code -errno}
 * shows as errno.
 */
class SyscallTest {
    static final int EBADF = 9, EFAULT = 14, EINVAL = 22, ENAMETOOLONG = 36, ENOENT = 2;
    static Fixture fx;

    @BeforeAll
    static void setUp() throws Exception {
        fx = new Fixture();
        Files.writeString(fx.root.resolve("data.txt"), "0123456789".repeat(30)); // 300 bytes
    }

    @AfterAll
    static void tearDown() throws Exception { fx.close(); }

    static final String MSG = """
            msg: .quad 5
                 .ascii "hello"
                 .balign 8
            """;

    static int write(String rsi, String rdx) throws Exception {
        return status(Programs.callWith("write", "  mov edi, 1\n" + rsi + "\n" + rdx + "\n", MSG + """
                liar: .quad 1000000
                      .ascii "x"
                """));
    }

    static int status(ring0.kernel.load.ProgramImage p) throws Exception {
        Exit e = fx.run(p).exit();
        assertThat(e.how()).isIn(Exit.How.RETURNED, Exit.How.EXITED);
        return e.status();
    }

    @Test
    void writeChecksTheCountAgainstTheLengthWord() throws Exception {
        assertThat(write("  lea rsi, [rip + msg]", "  mov edx, 5")).isEqualTo(-5 & 0xff);
        assertThat(write("  lea rsi, [rip + msg]", "  mov edx, 6")).isEqualTo(EFAULT);
        assertThat(write("  lea rsi, [rip + msg]", "  mov rdx, -1")).isEqualTo(EFAULT);
    }

    @Test
    void pointersOutsideTheProcesssDataAreRefused() throws Exception {
        for (String rsi : List.of(
                "  lea rsi, [rip + main]",          // code
                "  lea rsi, [rip + __limit]",       // the limit word
                "  lea rsi, [rip + slot_write]",    // an import slot
                "  lea rsi, [rip + msg + 1]",       // not 8-byte aligned
                "  lea rsi, [rsp]",                 // the stack is not a buffer
                "  xor esi, esi",                   // null
                "  mov esi, 0x10000",               // unmapped
                "  movabs rsi, 0x7ffffffffff8",     // top of the user half
                "  mov rsi, -8",                    // kernel half
                "  lea rsi, [rip + liar]")) {       // a length word claiming more than the region holds
            assertThat(write(rsi, "  mov edx, 1")).as(rsi).isEqualTo(EFAULT);
        }
    }

    @Test
    void readNeverWritesOutsideTheBuffer() throws Exception {
        // reading into the code or the slots would be fatal; the kernel refuses before touching them
        for (String rsi : List.of("  lea rsi, [rip + main]", "  lea rsi, [rip + slot_read]", "  lea rsi, [rip + __limit]")) {
            int s = status(Programs.callWith("read", "  xor edi, edi\n" + rsi + "\n  mov edx, 1\n", MSG));
            assertThat(s).as(rsi).isEqualTo(EFAULT);
        }
        var r = fx.run(Programs.callWith("read", "  xor edi, edi\n  lea rsi, [rip + msg]\n  mov edx, 5\n", MSG), "abcdefgh".getBytes());
        assertThat(r.exit().status()).isEqualTo(-5 & 0xff);
    }

    @Test
    void badDescriptorsAreEbadf() throws Exception {
        assertThat(status(Programs.callWith("write", "  mov edi, 999\n  lea rsi, [rip + msg]\n  mov edx, 1\n", MSG))).isEqualTo(EBADF);
        assertThat(status(Programs.callWith("write", "  mov rdi, -1\n  lea rsi, [rip + msg]\n  mov edx, 1\n", MSG))).isEqualTo(EBADF);
        assertThat(status(Programs.callWith("close", "  mov edi, 77\n", ""))).isEqualTo(EBADF);
        assertThat(status(Programs.callWith("write", "  movabs rdi, 0x100000001\n  lea rsi, [rip + msg]\n  mov edx, 1\n", MSG)))
                .as("descriptors are not truncated to 32 bits").isEqualTo(EBADF);
    }

    @Test
    void openTakesTheWholeByteArrayAsThePath() throws Exception {
        String open = "  lea rdi, [rip + path]\n  xor esi, esi\n  xor edx, edx\n";
        assertThat(status(Programs.callWith("open", open, "path: .quad 8\n .ascii \"data.txt\"\n"))).isEqualTo(-3 & 0xff);
        assertThat(status(Programs.callWith("open", open, "path: .quad 7\n .ascii \"data.txt\"\n"))).isEqualTo(ENOENT);
        assertThat(status(Programs.callWith("open", open, "path: .quad 9\n .ascii \"data.txt\\0\"\n"))).isEqualTo(EINVAL);
        assertThat(status(Programs.callWith("open", open, "path: .quad 4096\n .fill 4096, 1, 'a'\n"))).isEqualTo(ENAMETOOLONG);
        assertThat(status(Programs.callWith("open", open, "path: .quad 4095\n .rept 2047\n .ascii \"./\"\n .endr\n .ascii \"x\"\n"))).isEqualTo(ENOENT);
    }

    /** Opens data.txt, then runs {@code then} with the descriptor in rbx; returns rax. */
    static long withFile(List<String> imports, String then, String data) throws Exception {
        var p = Gas.image(imports, """
                main:
                  POLL
                  push rbx
                  lea rdi, [rip + path]
                  xor esi, esi
                  xor edx, edx
                  call qword ptr [rip + slot_open]
                  mov rbx, rax
                """ + then + """
                  mov qword ptr [rip + out + 8], rax
                  mov edi, 1
                  lea rsi, [rip + out]
                  mov edx, 8
                  call qword ptr [rip + slot_write]
                  xor eax, eax
                  pop rbx
                  ret
                """, "path: .quad 8\n .ascii \"data.txt\"\n .balign 8\nout: .quad 8\n .quad 0\n" + data);
        var r = fx.run(p);
        assertThat(r.exit().status()).isZero();
        return ByteBuffer.wrap(r.out()).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    @Test
    void fstatFillsAStructStat() throws Exception {
        String fstat = "  mov rdi, rbx\n  lea rsi, [rip + statbuf]\n  call qword ptr [rip + slot_fstat]\n";
        long size = withFile(List.of("open", "fstat", "write"), fstat + "  mov rax, [rip + statbuf + 8 + 48]\n",
                "statbuf: .quad 144\n .zero 144\n");
        assertThat(size).isEqualTo(300);
        long mode = withFile(List.of("open", "fstat", "write"), fstat + "  mov eax, dword ptr [rip + statbuf + 8 + 24]\n",
                "statbuf: .quad 144\n .zero 144\n");
        assertThat(mode & 0170000).isEqualTo(0100000);
        long small = withFile(List.of("open", "fstat", "write"), fstat, "statbuf: .quad 143\n .zero 144\n");
        assertThat(small).isEqualTo(-EFAULT);
    }

    @Test
    void lseekAndReadAndClose() throws Exception {
        long end = withFile(List.of("open", "lseek", "write"),
                "  mov rdi, rbx\n  xor esi, esi\n  mov edx, 2\n  call qword ptr [rip + slot_lseek]\n", "");
        assertThat(end).isEqualTo(300);
        long bad = withFile(List.of("open", "lseek", "write"),
                "  mov rdi, rbx\n  xor esi, esi\n  mov edx, 3\n  call qword ptr [rip + slot_lseek]\n", "");
        assertThat(bad).isEqualTo(-EINVAL);
        long read = withFile(List.of("open", "lseek", "read", "write"), """
                  mov rdi, rbx
                  mov esi, 295
                  xor edx, edx
                  call qword ptr [rip + slot_lseek]
                  mov rdi, rbx
                  lea rsi, [rip + buf]
                  mov edx, 16
                  call qword ptr [rip + slot_read]
                  cmp rax, 5
                  jne 1f
                  mov rax, [rip + buf + 8]
                1:
                """, "buf: .quad 16\n .zero 16\n");
        assertThat(read).isEqualTo(0x3938373635L); // "56789"
        long closed = withFile(List.of("open", "close", "write"), """
                  mov rdi, rbx
                  call qword ptr [rip + slot_close]
                  mov rdi, rbx
                  call qword ptr [rip + slot_close]
                """, "");
        assertThat(closed).isEqualTo(-EBADF);
    }

    @Test
    void fsyncWritesBack() throws Exception {
        assertThat(withFile(List.of("open", "fsync", "write"), "  mov rdi, rbx\n  call qword ptr [rip + slot_fsync]\n", ""))
                .isZero();
        assertThat(status(Programs.callWith("fsync", "  mov edi, 1\n", ""))).as("stdout cannot be synced").isEqualTo(EINVAL);
        assertThat(status(Programs.callWith("fsync", "  mov edi, 55\n", ""))).isEqualTo(EBADF);
    }

    @Test
    void getpidAndGetppidOnBothPaths() throws Exception {
        for (boolean fast : new boolean[] {true, false}) {
            try (Fixture f = new Fixture(Limits.DEFAULT, fast)) {
                var s = f.start(Programs.callWith("getpid", "", ""), new byte[0]);
                int pid = s.process().pid();
                assertThat(s.await().exit().status()).as("fast=" + fast).isEqualTo(-pid & 0xff);
                assertThat(f.run(Programs.callWith("getppid", "", "")).exit().status()).isZero();
            }
        }
    }

    @Test
    void clockIsSystemNanoTime() throws Exception {
        long before = System.nanoTime();
        var r = fx.run(Gas.image(List.of("clock", "write"), """
                main:
                  POLL
                  sub rsp, 8
                  call qword ptr [rip + slot_clock]
                  mov qword ptr [rip + out + 8], rax
                  mov edi, 1
                  lea rsi, [rip + out]
                  mov edx, 8
                  call qword ptr [rip + slot_write]
                  xor eax, eax
                  add rsp, 8
                  ret
                """, "out: .quad 8\n .quad 0\n"));
        long after = System.nanoTime();
        long t = ByteBuffer.wrap(r.out()).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(t).isBetween(before, after);
    }

    @Test
    void newbytesGivesAZeroedByteArrayTheKernelAccepts() throws Exception {
        var r = fx.run(Gas.image(List.of("newbytes", "write"), """
                main:
                  POLL
                  push rbx
                  mov edi, 100
                  call qword ptr [rip + slot_newbytes]
                  mov rbx, rax
                  mov byte ptr [rbx + 8 + 99], 'Z'
                  mov edi, 1
                  mov rsi, rbx
                  mov rdx, [rbx]
                  call qword ptr [rip + slot_write]
                  mov rax, rbx
                  and eax, 15
                  pop rbx
                  ret
                """, ""));
        assertThat(r.exit().status()).as("16-byte aligned").isZero();
        byte[] want = new byte[100];
        want[99] = 'Z';
        assertThat(r.out()).isEqualTo(want);
    }

    @Test
    void newwordsAndAllocGiveZeroedMemory() throws Exception {
        int s = status(Gas.image(List.of("newwords", "alloc"), """
                main:
                  POLL
                  push rbx
                  mov edi, 5
                  call qword ptr [rip + slot_newwords]
                  cmp qword ptr [rax], 5
                  jne bad
                  mov rbx, rax
                  mov rcx, [rax + 8]
                  or rcx, [rax + 16]
                  or rcx, [rax + 24]
                  or rcx, [rax + 32]
                  or rcx, [rax + 40]
                  jnz bad
                  mov edi, 24
                  call qword ptr [rip + slot_alloc]
                  test al, 15
                  jnz bad
                  cmp rax, rbx
                  je bad
                  mov rcx, [rax]
                  or rcx, [rax + 8]
                  or rcx, [rax + 16]
                  jnz bad
                  mov eax, 7
                  pop rbx
                  ret
                bad:
                  mov eax, 1
                  pop rbx
                  ret
                """, ""));
        assertThat(s).isEqualTo(7);
    }

    @Test
    void impossibleSizesGiveNull() throws Exception {
        for (String call : List.of("alloc", "newbytes", "newwords")) {
            assertThat(status(Programs.callWith(call, "  movabs rdi, 0x20000000000\n", ""))).as(call).isZero();
            assertThat(status(Programs.callWith(call, "  mov rdi, -1\n", ""))).as(call).isZero();
        }
        assertThat(status(Gas.image(List.of("alloc"), """
                main:
                  POLL
                  sub rsp, 8
                  xor edi, edi
                  call qword ptr [rip + slot_alloc]
                  test rax, rax
                  setnz al
                  movzx eax, al
                  add rsp, 8
                  ret
                """, ""))).as("alloc(0) gives a block").isEqualTo(1);
    }

    @Test
    void writtenBytesReachTheFileThroughThePageCache() throws Exception {
        var r = fx.run(Gas.image(List.of("open", "write", "close"), """
                main:
                  POLL
                  push rbx
                  lea rdi, [rip + path]
                  mov esi, 0x241
                  mov edx, 0644
                  call qword ptr [rip + slot_open]
                  mov rbx, rax
                  mov rdi, rax
                  lea rsi, [rip + msg]
                  mov edx, 5
                  call qword ptr [rip + slot_write]
                  mov rdi, rbx
                  call qword ptr [rip + slot_close]
                  pop rbx
                  ret
                """, "path: .quad 7\n .ascii \"new.txt\"\n .balign 8\n" + MSG));
        assertThat(r.exit().status()).isZero();
        assertThat(Files.readString(fx.root.resolve("new.txt"), StandardCharsets.UTF_8)).isEqualTo("hello");
    }
}
