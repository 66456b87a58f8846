/** The ring0 assembler (untrusted). */
package ring0.asm;
