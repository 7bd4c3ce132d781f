// SPDX-License-Identifier: GPL-2.0-only
/*
 * 004-mdev-uuid: sysfs for mdevs. A type's "create" file takes a UUID; a
 * device's "remove" file removes it. Each mdev is linked from its type's
 * "devices" directory, and a duplicate UUID would only be caught here as
 * a duplicate sysfs link (with a kernel warning) were it not checked
 * globally first in mdev_device_create().
 */
/* expect: none */

#include "scenario.h"

struct mdev_type_attribute {
	struct attribute attr;
	ssize_t (*store)(struct mdev_type *mtype,
			 struct mdev_type_attribute *attr, const char *buf,
			 size_t count);
};

int mdev_create_sysfs_files(struct mdev_device *mdev)
{
	struct mdev_type *type = mdev->type;
	int ret;

	ret = sysfs_create_link(type->devices_kobj, &mdev->dev.kobj,
				dev_name(&mdev->dev));
	if (ret)
		return ret;

	ret = sysfs_create_link(&mdev->dev.kobj, &type->kobj, "mdev_type");
	if (ret)
		sysfs_remove_link(type->devices_kobj, dev_name(&mdev->dev));
	return ret;
}

void mdev_remove_sysfs_files(struct mdev_device *mdev)
{
	sysfs_remove_link(&mdev->dev.kobj, "mdev_type");
	sysfs_remove_link(mdev->type->devices_kobj, dev_name(&mdev->dev));
}

static ssize_t create_store(struct mdev_type *mtype,
			    struct mdev_type_attribute *attr, const char *buf,
			    size_t count)
{
	char str[UUID_STRING_LEN + 1];
	guid_t uuid;
	int ret;

	if (count < UUID_STRING_LEN)
		return -EINVAL;
	strscpy(str, buf, sizeof(str));
	ret = guid_parse(str, &uuid);
	if (ret)
		return ret;

	ret = mdev_device_create(mtype, &uuid);
	return ret ? ret : count;
}

static struct mdev_type_attribute mdev_type_attr_create = {
	.attr	= { .name = "create", .mode = 0200 },
	.store	= create_store,
};

static ssize_t remove_store(struct device *dev, struct device_attribute *attr,
			    const char *buf, size_t count)
{
	unsigned long val;
	int ret;

	if (kstrtoul(buf, 0, &val) < 0)
		return -EINVAL;
	if (!val || !device_remove_file_self(dev, attr))
		return count;

	ret = mdev_device_remove(to_mdev_device(dev));
	return ret ? ret : count;
}
static DEVICE_ATTR_WO(remove);
