/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 001-mdev-create-remove: an mdev core that counts create/remove calls in
 * flight on each parent with a refcount, and a completion that
 * unregistration waits on until the count drops to zero. The vendor driver
 * is "mtty", a sample-style virtual serial device.
 */
#ifndef _EXAMPLE_001_SCENARIO_H
#define _EXAMPLE_001_SCENARIO_H

#include "../../include/kernel_stub.h"

struct mdev_device;

struct mdev_parent_ops {
	struct module *owner;
	int (*create)(struct mdev_device *mdev);
	int (*remove)(struct mdev_device *mdev);
};

struct mdev_parent {
	struct device *dev;
	const struct mdev_parent_ops *ops;
	struct list_head next;		/* on parent_list */
	struct list_head mdev_list;	/* under parent_list_lock */
	/* one for the registration, one per create/remove in flight */
	refcount_t refcount;
	struct completion unreg_completion;
};

struct mdev_device {
	struct device dev;
	struct mdev_parent *parent;
	struct list_head next;		/* on parent->mdev_list */
	guid_t uuid;
	void *driver_data;
};

struct mdev_type {
	struct kobject kobj;
	struct mdev_parent *parent;
};

struct mdev_type_attribute {
	struct attribute attr;
	ssize_t (*show)(struct mdev_type *mtype,
			struct mdev_type_attribute *attr, char *buf);
	ssize_t (*store)(struct mdev_type *mtype,
			 struct mdev_type_attribute *attr, const char *buf,
			 size_t count);
};

#define MDEV_TYPE_ATTR_WO(_name) \
	struct mdev_type_attribute mdev_type_attr_##_name = __ATTR_WO(_name)

#define to_mdev_device(d)	container_of(d, struct mdev_device, dev)
#define to_mdev_type(k)		container_of(k, struct mdev_type, kobj)

int mdev_register_device(struct device *dev, const struct mdev_parent_ops *ops);
void mdev_unregister_device(struct device *dev);
int mdev_device_create(struct mdev_parent *parent, const guid_t *uuid);
int mdev_device_remove(struct mdev_device *mdev);

/* mdev core internals; parent_list_lock also guards every mdev_list */
extern struct mutex parent_list_lock;
bool mdev_get_parent(struct mdev_parent *parent);
void mdev_put_parent(struct mdev_parent *parent);

#endif /* _EXAMPLE_001_SCENARIO_H */
