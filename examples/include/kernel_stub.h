/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal stand-ins for the kernel types the lockreview examples use, so
 * that struct fields and lock types resolve without a kernel tree. These
 * are written for the examples; they are not the kernel's definitions and
 * only carry the members the examples touch.
 */
#ifndef _LOCKREVIEW_EXAMPLES_KERNEL_STUB_H
#define _LOCKREVIEW_EXAMPLES_KERNEL_STUB_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef _Bool bool;
typedef unsigned long size_t;
typedef long ssize_t;
typedef long long loff_t;
typedef unsigned int gfp_t;
typedef unsigned short umode_t;

#define NULL		((void *)0)
#define true		1
#define false		0
#define GFP_KERNEL	0x0cc0u

#define EPERM		1
#define ENOENT		2
#define ENXIO		6
#define EBADF		9
#define EAGAIN		11
#define ENOMEM		12
#define EFAULT		14
#define EBUSY		16
#define EEXIST		17
#define ENODEV		19
#define EINVAL		22
#define ENOTTY		25
#define ENOSPC		28
#define EOPNOTSUPP	95

/* Locks and waiting */
struct lock_class_key {
	int dummy;
};

struct mutex {
	long owner;
	int wait_lock;
};

typedef struct spinlock {
	int rlock;
} spinlock_t;

struct rw_semaphore {
	long count;
	long owner;
};

struct srcu_struct {
	unsigned long srcu_idx;
	void *sda;
};

struct completion {
	unsigned int done;
	int wait;
};

typedef struct {
	int counter;
} atomic_t;

typedef struct {
	int refs;
} refcount_t;

struct kref {
	refcount_t refcount;
};

/* Lists and deferred work */
struct list_head {
	struct list_head *next, *prev;
};

struct work_struct;
typedef void (*work_func_t)(struct work_struct *work);

struct work_struct {
	long data;
	struct list_head entry;
	work_func_t func;
};

struct workqueue_struct;

/* Driver model */
struct module;
struct kobject {
	const char *name;
	struct kobject *parent;
	struct kref kref;
};

struct device;

struct bus_type {
	const char *name;
	int (*probe)(struct device *dev);
	void (*remove)(struct device *dev);
};

struct device_driver {
	const char *name;
	struct bus_type *bus;
	int (*probe)(struct device *dev);
	int (*remove)(struct device *dev);
};

struct device {
	struct kobject kobj;
	struct device *parent;
	struct mutex mutex;	/* device_lock() */
	const struct bus_type *bus;
	struct device_driver *driver;
	void *driver_data;
	void (*release)(struct device *dev);
};

struct attribute {
	const char *name;
	umode_t mode;
};

struct device_attribute {
	struct attribute attr;
	ssize_t (*show)(struct device *dev, struct device_attribute *attr,
			char *buf);
	ssize_t (*store)(struct device *dev, struct device_attribute *attr,
			 const char *buf, size_t count);
};

struct inode;
struct file;

struct file_operations {
	struct module *owner;
	long (*unlocked_ioctl)(struct file *filp, unsigned int cmd,
			       unsigned long arg);
	int (*release)(struct inode *inode, struct file *filp);
};

struct file {
	const struct file_operations *f_op;
	void *private_data;
	struct inode *f_inode;
};

typedef struct {
	u8 b[16];
} guid_t;

#define UUID_STRING_LEN	36

#endif /* _LOCKREVIEW_EXAMPLES_KERNEL_STUB_H */
