package ring0.kernel;

import java.util.List;
import ring0.kernel.load.ProgramImage;

/** Test-only: the raw programs the kernel tests run (see {@link Gas}). */
final class Programs {
    private Programs() {}

    /** Returns 42. */
    static ProgramImage ret42() {
        return Gas.image(List.of(), """
                main:
                  POLL
                  mov eax, 42
                  ret
                """, "");
    }

    /** Returns argc, after checking rsp = 8 mod 16 and every other register zero (else returns 200 + a code). */
    static ProgramImage entryContract() {
        return Gas.image(List.of(), """
                main:
                  POLL
                  mov rax, rsp
                  and eax, 15
                  cmp eax, 8
                  jne bad_rsp
                  mov rax, rbx
                  or rax, rcx
                  or rax, rdx
                  or rax, rsi
                  or rax, rbp
                  or rax, r8
                  or rax, r9
                  or rax, r10
                  or rax, r11
                  or rax, r12
                  or rax, r13
                  or rax, r14
                  or rax, r15
                  jnz bad_regs
                  lea rax, [rsp + 8]
                  cmp rax, rdi
                  jne bad_args
                  mov rax, [rdi]
                  ret
                bad_rsp:
                  mov eax, 201
                  ret
                bad_regs:
                  mov eax, 202
                  ret
                bad_args:
                  mov eax, 203
                  ret
                """, "");
    }

    /** Writes its argument {@code n} (1-based) and a newline to stdout via the argument array; returns 0. */
    static ProgramImage echoArg1() {
        return Gas.image(List.of("write"), """
                main:
                  POLL
                  push rbx
                  mov rsi, [rdi + 16]
                  mov rbx, rsi
                  mov edi, 1
                  mov rdx, [rsi]
                  call qword ptr [rip + slot_write]
                  mov edi, 1
                  lea rsi, [rip + nl]
                  mov edx, 1
                  call qword ptr [rip + slot_write]
                  xor eax, eax
                  pop rbx
                  ret
                """, """
                nl: .quad 1
                    .ascii "\\n"
                """);
    }

    /** Writes "hello\n" and calls exit(3); returns 99 if exit returned. */
    static ProgramImage hello() {
        return Gas.image(List.of("write", "exit"), """
                main:
                  POLL
                  sub rsp, 8
                  mov edi, 1
                  lea rsi, [rip + msg]
                  mov rdx, [rsi]
                  call qword ptr [rip + slot_write]
                  mov edi, 3
                  call qword ptr [rip + slot_exit]
                  mov eax, 99
                  add rsp, 8
                  ret
                """, """
                msg: .quad 6
                     .ascii "hello\\n"
                """);
    }

    /** Copies stdin to stdout in 7-byte reads; returns 0, or 1 on an error. */
    static ProgramImage cat() {
        return Gas.image(List.of("read", "write"), """
                main:
                  POLL
                  sub rsp, 8
                loop:
                  POLL
                  xor edi, edi
                  lea rsi, [rip + buf]
                  mov edx, 7
                  call qword ptr [rip + slot_read]
                  test rax, rax
                  jz done
                  js fail
                  mov edi, 1
                  lea rsi, [rip + buf]
                  mov rdx, rax
                  call qword ptr [rip + slot_write]
                  test rax, rax
                  js fail
                  jmp loop
                done:
                  add rsp, 8
                  ret
                fail:
                  mov eax, 1
                  add rsp, 8
                  ret
                """, """
                buf: .quad 7
                     .zero 8
                """);
    }

    /**
     * Calls {@code service} with rdi, rsi, rdx, rcx taken from the four data
     * words {@code a0..a3} (a word holding -1 is replaced by the address of the
     * data label {@code target} plus the word {@code delta}), and returns
     * {@code -rax} as the status (so -errno gives errno).
     */
    static ProgramImage callWith(String service, String args, String data) {
        return Gas.image(List.of(service), """
                main:
                  POLL
                  sub rsp, 8
                """ + args + """
                  call qword ptr [rip + slot_%s]
                  neg rax
                  add rsp, 8
                  ret
                """.formatted(service), data);
    }

    /** An infinite loop with a poll in every iteration. */
    static ProgramImage spin() {
        return Gas.image(List.of(), """
                main:
                  POLL
                loop:
                  POLL
                  jmp loop
                """, "");
    }

    /** Unbounded recursion, with a poll at each call. */
    static ProgramImage recurse() {
        return Gas.image(List.of(), """
                main:
                  POLL
                f:
                  POLL
                  push rbx
                  call f
                  pop rbx
                  ret
                """, "");
    }

    /** Allocates {@code bytes} in a loop forever, touching each allocation. */
    static ProgramImage hog(int bytes) {
        return Gas.image(List.of("alloc"), """
                main:
                  POLL
                  sub rsp, 8
                loop:
                  POLL
                  mov edi, %d
                  call qword ptr [rip + slot_alloc]
                  test rax, rax
                  jz null
                  mov qword ptr [rax], 1
                  jmp loop
                null:
                  mov eax, 77
                  add rsp, 8
                  ret
                """.formatted(bytes), "");
    }

    /**
     * Calls {@code service} (getpid or another 0-argument service) {@code n}
     * times, timing the loop with {@code clock}, and writes the elapsed
     * nanoseconds as an 8-byte little-endian word to stdout. Returns the last
     * result's low byte.
     */
    static ProgramImage timeLoop(String service, long n) {
        return Gas.image(List.of(service, "clock", "write"), """
                main:
                  POLL
                  push rbx
                  push r12
                  push r13
                  call qword ptr [rip + slot_clock]
                  mov r12, rax
                  movabs rbx, %d
                loop:
                  POLL
                  call qword ptr [rip + slot_%s]
                  mov r13, rax
                  dec rbx
                  jnz loop
                  call qword ptr [rip + slot_clock]
                  sub rax, r12
                  mov qword ptr [rip + out + 8], rax
                  mov edi, 1
                  lea rsi, [rip + out]
                  mov edx, 8
                  call qword ptr [rip + slot_write]
                  mov rax, r13
                  pop r13
                  pop r12
                  pop rbx
                  ret
                """.formatted(n, service), """
                out: .quad 8
                     .quad 0
                """);
    }
}
