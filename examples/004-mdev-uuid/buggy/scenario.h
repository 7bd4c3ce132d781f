/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 004-mdev-uuid: mdev core types for the global duplicate-UUID check. One
 * global list of mdevs, guarded by mdev_list_lock, and an "active" flag
 * that lets a UUID be reserved while the lock is dropped.
 */
#ifndef _EXAMPLE_004_SCENARIO_H
#define _EXAMPLE_004_SCENARIO_H

#include "../../include/kernel_stub.h"

struct mdev_device;
struct mdev_type;

struct mdev_parent_ops {
	struct module *owner;
	int (*create)(struct mdev_device *mdev);
	int (*remove)(struct mdev_device *mdev);
};

struct mdev_parent {
	struct device *dev;
	const struct mdev_parent_ops *ops;
	struct list_head next;
};

struct mdev_type {
	struct kobject kobj;
	struct kobject *devices_kobj;
	struct mdev_parent *parent;
};

struct mdev_device {
	struct device dev;
	struct mdev_parent *parent;
	struct mdev_type *type;
	guid_t uuid;
	struct list_head next;		/* on mdev_list */
	bool active;			/* under mdev_list_lock */
};

#define to_mdev_device(d)	container_of(d, struct mdev_device, dev)
#define to_mdev_type(k)		container_of(k, struct mdev_type, kobj)

int mdev_device_create(struct mdev_type *type, const guid_t *uuid);
int mdev_device_remove(struct mdev_device *mdev);
int mdev_create_sysfs_files(struct mdev_device *mdev);
void mdev_remove_sysfs_files(struct mdev_device *mdev);

#endif /* _EXAMPLE_004_SCENARIO_H */
