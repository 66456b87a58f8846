package ring0.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import ring0.kernel.fs.FdTable;
import ring0.kernel.fs.PageCache;
import ring0.kernel.fs.StdStreams;
import ring0.kernel.fs.Vfs;
import ring0.kernel.load.Trampoline;
import ring0.kernel.proc.Process;
import ring0.kernel.sys.Call;
import ring0.kernel.sys.Syscalls;

/** Running raw programs in kernel mode: entry, return, exit, arguments, standard streams. */
class KernelRunTest {
    static Fixture fx;

    @BeforeAll
    static void setUp() throws Exception { fx = new Fixture(); }

    @AfterAll
    static void tearDown() throws Exception { fx.close(); }

    @Test
    void theEntryLabelsResultIsTheExitStatus() throws Exception {
        Fixture.Run r = fx.run(Programs.ret42());
        assertThat(r.exit()).isEqualTo(new Exit(42, Exit.How.RETURNED, null));
    }

    @Test
    void theEntryContractHolds() throws Exception {
        assertThat(fx.run(Programs.entryContract(), "a", "b", "c").exit().status()).isEqualTo(4);
        assertThat(fx.run(Programs.entryContract()).exit().status()).isEqualTo(1);
    }

    @Test
    void argumentsArriveAsByteArrays() throws Exception {
        Fixture.Run r = fx.run(Programs.echoArg1(), "héllo wörld");
        assertThat(r.exit().status()).isZero();
        assertThat(r.outText()).isEqualTo("héllo wörld\n");
    }

    @Test
    void exitEndsTheProgramWithItsStatus() throws Exception {
        Fixture.Run r = fx.run(Programs.hello());
        assertThat(r.outText()).isEqualTo("hello\n");
        assertThat(r.exit()).isEqualTo(new Exit(3, Exit.How.EXITED, null));
    }

    @Test
    void catCopiesStandardInput() throws Exception {
        byte[] in = "the quick brown fox jumps over the lazy dog\n".repeat(50).getBytes(StandardCharsets.UTF_8);
        Fixture.Run r = fx.run(Programs.cat(), in);
        assertThat(r.exit().status()).isZero();
        assertThat(r.out()).isEqualTo(in);
    }

    /**
     * rbx, rbp, r12-r15 and rsp survive every kind of call (native fast path,
     * upcall, upcall that writes); returns 0 if so, else the number of the
     * first call after which something changed.
     */
    static final String PRESERVES = """
            main:
              POLL
              push rbx
              push rbp
              push r12
              push r13
              push r14
              push r15
              sub rsp, 8
              movabs rbx, 0x1111111111111111
              movabs rbp, 0x2222222222222222
              movabs r12, 0x3333333333333333
              movabs r13, 0x4444444444444444
              movabs r14, 0x5555555555555555
              movabs r15, 0x6666666666666666
              mov qword ptr [rip + saved + 8], rsp
              call qword ptr [rip + slot_getpid]
              mov r8d, 1
              call check
              call qword ptr [rip + slot_getppid]
              mov r8d, 2
              call check
              call qword ptr [rip + slot_clock]
              mov r8d, 3
              call check
              mov edi, 1
              lea rsi, [rip + saved]
              mov edx, 0
              call qword ptr [rip + slot_write]
              mov r8d, 4
              call check
              xor eax, eax
            out:
              add rsp, 8
              pop r15
              pop r14
              pop r13
              pop r12
              pop rbp
              pop rbx
              ret
            check:
              POLL
              lea rax, [rsp + 8]
              cmp rax, qword ptr [rip + saved + 8]
              jne bad
              movabs rax, 0x1111111111111111
              cmp rbx, rax
              jne bad
              movabs rax, 0x2222222222222222
              cmp rbp, rax
              jne bad
              movabs rax, 0x3333333333333333
              cmp r12, rax
              jne bad
              movabs rax, 0x4444444444444444
              cmp r13, rax
              jne bad
              movabs rax, 0x5555555555555555
              cmp r14, rax
              jne bad
              movabs rax, 0x6666666666666666
              cmp r15, rax
              jne bad
              ret
            bad:
              add rsp, 8
              mov eax, r8d
              jmp out
            """;

    @Test
    void calleeSavedRegistersAndTheStackSurviveEveryKindOfCall() throws Exception {
        var image = Gas.image(List.of("getpid", "getppid", "clock", "write"), PRESERVES, "saved: .quad 8\n .quad 0\n");
        assertThat(fx.run(image).exit()).isEqualTo(new Exit(0, Exit.How.RETURNED, null));
        try (Fixture slow = new Fixture(Limits.DEFAULT, false)) {
            assertThat(slow.run(image).exit()).as("getpid through the upcall").isEqualTo(new Exit(0, Exit.How.RETURNED, null));
        }
    }

    @Test
    void anExceptionInAHandlerEndsOnlyThatProcessLoudly() throws Exception {
        OutputStream onFire = new OutputStream() {
            @Override
            public void write(int b) { throw new IllegalStateException("the disk is on fire"); }
        };
        Process p = fx.kernel.startImage(Programs.hello(), "hello", List.of(),
                new StdStreams(new ByteArrayInputStream(new byte[0]), onFire, onFire), "raw test image", Limits.DEFAULT);
        Exit e = p.waitFor();
        assertThat(e.how()).isEqualTo(Exit.How.KERNEL_ERROR);
        assertThat(e.status()).isEqualTo(70);
        assertThat(e.message()).startsWith("kernel error: system call 2 failed").contains("the disk is on fire");
        assertThat(fx.run(Programs.ret42()).exit().status()).as("the kernel goes on").isEqualTo(42);
    }

    @Test
    void aCallNumberOutsideTheTableIsABrokenInvariant() throws Exception {
        // no Call maps to 999: only a corrupted trampoline could pass it; the dispatcher's bounds check catches it
        var image = Gas.image(List.of("bogus"), """
                main:
                  POLL
                  sub rsp, 8
                  call qword ptr [rip + slot_bogus]
                  mov eax, 5
                  add rsp, 8
                  ret
                """, "");
        Process p = fx.kernel.processes().start(0, "bogus", image,
                List.of(Call.STOP.trampoline(true), new Trampoline.Upcall(999, 0)), Syscalls.dispatcher(),
                List.of("bogus".getBytes()), Limits.DEFAULT, new FdTable(new Vfs(fx.root, new PageCache(1 << 20)), StdStreams.system()));
        Exit e = p.waitFor();
        assertThat(e).isEqualTo(new Exit(70, Exit.How.KERNEL_ERROR, "kernel error: system call number 999 is outside the table"));
    }

    @Test
    void theUnverifiedWarningIsPrinted() throws Exception {
        fx.run(Programs.ret42());
        assertThat(fx.diagnostics.toString(StandardCharsets.UTF_8)).contains("runs UNVERIFIED in kernel mode");
    }
}
