// SPDX-License-Identifier: GPL-2.0-only
/*
 * vm_attach.c - load a BPF object, attach each program, run a command, report
 *
 * usage: vm-attach OBJ [CMD [ARG]...]
 *
 * A test helper for the qemu guest (bpftool 7.1 loads programs but cannot attach kprobes
 * or fentry). Loads OBJ, attaches every program the way its SEC() name says (libbpf's
 * automatic attach), runs CMD while they are attached, detaches, then prints on stdout
 *   prog NAME SECTION attach=ok run_cnt=N
 *   prog NAME SECTION attach=error ERRNO_NAME (message)
 *   map NAME KEY VALUE          for each entry of each array map with 8-byte values
 * run_cnt is the kernel's own count of the program's runs (BPF_ENABLE_STATS), so any
 * object can be checked without counters of its own.
 * Exit status: 0 everything loaded and attached and CMD exited 0, 1 otherwise, 2 usage.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#define MAX_PROGS 64

static int print_warnings(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level > LIBBPF_WARN)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

/* run argv[0] with its arguments, return its exit status (1 if it did not exit) */
static int run(char **argv)
{
	int wstatus;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "vm-attach: fork: %s\n", strerror(errno));
		return 1;
	}
	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "vm-attach: cannot run '%s': %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &wstatus, 0) < 0) {
		fprintf(stderr, "vm-attach: waitpid: %s\n", strerror(errno));
		return 1;
	}
	if (!WIFEXITED(wstatus)) {
		fprintf(stderr, "vm-attach: '%s' ended by signal %d\n", argv[0],
			WTERMSIG(wstatus));
		return 1;
	}
	return WEXITSTATUS(wstatus);
}

static void print_maps(struct bpf_object *obj)
{
	struct bpf_map *map;
	__u32 key;
	__u64 val;

	bpf_object__for_each_map(map, obj) {
		if (bpf_map__type(map) != BPF_MAP_TYPE_ARRAY || bpf_map__value_size(map) != 8 ||
		    bpf_map__is_internal(map))
			continue;
		for (key = 0; key < bpf_map__max_entries(map); key++) {
			if (bpf_map_lookup_elem(bpf_map__fd(map), &key, &val))
				continue;
			printf("map %s %u %llu\n", bpf_map__name(map), key, (unsigned long long)val);
		}
	}
}

int main(int argc, char **argv)
{
	struct bpf_link *links[MAX_PROGS] = { NULL };
	int errs[MAX_PROGS] = { 0 };
	struct bpf_object *obj;
	struct bpf_program *prog;
	int stats_fd, n = 0, i, status = 0, err;
	char msg[128];

	if (argc < 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: vm-attach OBJ [CMD [ARG]...]\n");
		return 2;
	}
	libbpf_set_print(print_warnings);

	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj) {
		err = -errno;
		libbpf_strerror(err, msg, sizeof(msg));
		fprintf(stderr, "vm-attach: cannot open '%s': %s\n", argv[1], msg);
		return 1;
	}
	err = bpf_object__load(obj);
	if (err) {
		libbpf_strerror(err, msg, sizeof(msg));
		fprintf(stderr, "vm-attach: cannot load '%s': %s\n", argv[1], msg);
		bpf_object__close(obj);
		return 1;
	}

	/* counted from here on, for every program, as long as stats_fd stays open */
	stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
	if (stats_fd < 0)
		fprintf(stderr, "vm-attach: cannot enable BPF run statistics: %s, run_cnt is 0\n",
			strerror(errno));

	bpf_object__for_each_program(prog, obj) {
		if (n == MAX_PROGS) {
			fprintf(stderr, "vm-attach: more than %d programs, ignoring the rest\n",
				MAX_PROGS);
			status = 1;
			break;
		}
		links[n] = bpf_program__attach(prog);
		if (!links[n]) {
			errs[n] = -errno;
			status = 1;
		}
		n++;
	}

	if (argc > 2 && run(argv + 2) != 0)
		status = 1;

	/* detach before reading, so the counts are final */
	for (i = 0; i < n; i++)
		bpf_link__destroy(links[i]);

	i = 0;
	bpf_object__for_each_program(prog, obj) {
		struct bpf_prog_info info;
		__u32 len = sizeof(info);

		if (i == n)
			break;
		printf("prog %s %s ", bpf_program__name(prog), bpf_program__section_name(prog));
		if (errs[i]) {
			libbpf_strerror(errs[i], msg, sizeof(msg));
			printf("attach=error %d (%s)\n", errs[i], msg);
		} else {
			memset(&info, 0, sizeof(info));
			if (bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len))
				info.run_cnt = 0;
			printf("attach=ok run_cnt=%llu\n", (unsigned long long)info.run_cnt);
		}
		i++;
	}
	print_maps(obj);

	if (stats_fd >= 0)
		close(stats_fd);
	bpf_object__close(obj);
	return status;
}
