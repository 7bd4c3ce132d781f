// SPDX-License-Identifier: GPL-2.0-only
/*
 * 001-mdev-create-remove, fixed: the sysfs entry points. Writing a UUID to
 * a type's "create" file creates an mdev on that type's parent; writing 1
 * to an mdev's "remove" file removes it. Either can race with the parent
 * driver unregistering the parent.
 */
/* expect: none */

#include "scenario.h"

static ssize_t create_store(struct mdev_type *mtype,
			    struct mdev_type_attribute *attr, const char *buf,
			    size_t count)
{
	guid_t uuid;
	char *str;
	int ret;

	if (count < UUID_STRING_LEN || count > UUID_STRING_LEN + 1)
		return -EINVAL;

	str = kstrndup(buf, count, GFP_KERNEL);
	if (!str)
		return -ENOMEM;
	ret = guid_parse(str, &uuid);
	kfree(str);
	if (ret)
		return ret;

	ret = mdev_device_create(mtype->parent, &uuid);
	return ret ? ret : count;
}
static MDEV_TYPE_ATTR_WO(create);

static ssize_t remove_store(struct device *dev, struct device_attribute *attr,
			    const char *buf, size_t count)
{
	unsigned long val;
	int ret;

	if (kstrtoul(buf, 0, &val) < 0)
		return -EINVAL;

	if (val && device_remove_file_self(dev, attr)) {
		ret = mdev_device_remove(to_mdev_device(dev));
		if (ret)
			return ret;
	}
	return count;
}
static DEVICE_ATTR_WO(remove);
